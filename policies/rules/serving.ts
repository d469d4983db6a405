/**
 * Someone always serves: a backend service keeps at least one backend with capacity, and each accelerator
 * listener keeps at least one region with traffic and an endpoint with weight. Draining is setting one
 * backend to zero, never all of them.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { asArray, TYPES } from "./resources";

export const backendsNotAllDrained: ResourceValidationPolicy = {
  name: "backends-not-all-drained",
  description: "No backend service is left with every backend drained.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.backendService) return;
    const backends = asArray<{ capacityScaler?: number }>(args.props.backends);
    if (backends.length > 0 && backends.every((b) => b.capacityScaler === 0))
      reportViolation(`backend service ${args.name} has every backend drained (capacity 0); keep at least one cluster serving.`);
  },
};

export const acceleratorServes: StackValidationPolicy = {
  name: "accelerator-serves",
  description: "Every accelerator listener keeps a region with traffic and an endpoint with weight.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const groups = args.resources.filter((r) => r.type === TYPES.endpointGroup);
    const byListener = new Map<string, typeof groups>();
    for (const g of groups) {
      const listener = g.propertyDependencies.listenerArn?.[0]?.urn ?? String(g.props.listenerArn);
      byListener.set(listener, [...(byListener.get(listener) ?? []), g]);
    }
    for (const [listener, list] of byListener) {
      const serving = list.some(
        (g) => (g.props.trafficDialPercentage ?? 100) > 0 && asArray<{ weight?: number }>(g.props.endpointConfigurations).some((e) => (e.weight ?? 128) > 0),
      );
      if (!serving)
        reportViolation(
          `every region of accelerator listener ${listener.split("::").pop()} is drained; keep at least one region with traffic and a weighted endpoint.`,
          list[0]!.urn,
        );
    }
  },
};
