/**
 * A BackendConfig no MultiClusterService names, or a FrontendConfig no MultiClusterIngress names, would
 * have every field dropped in silence: GKE applies them only through those annotations. Say so at the
 * document, so a team that wrote one (or misspelt its name in the annotation) learns that none of it applies.
 */
import type { PathSegment, Severity } from "./diagnostics";
import { keyOf, type LoadedDocuments } from "./documents";
import { ingressAnnotations } from "./ingress";
import { ANNOTATIONS } from "./schema/documents";
import { backendConfigNames } from "./select";
import type { Locator } from "./yaml-source";

type Report = (doc: { locate: Locator }, path: PathSegment[], message: string, severity?: Severity) => void;

export function checkUnusedConfigs(documents: LoadedDocuments, at: Report): void {
  // A namespace with a document that did not load may name them there: stay quiet about it.
  const uncertain = new Set([...documents.unreadable, ...[...documents.invalid].map((k) => k.split(" ")[1]!.split("/")[0]!)]);
  const backendNames = new Set(
    documents.services.flatMap((s) => [...backendConfigNames(s.doc).byPort.values()].map((name) => `${s.doc.metadata.namespace}/${name}`)),
  );
  for (const loaded of documents.backendConfigs) {
    const key = keyOf(loaded.doc);
    if (!backendNames.has(key) && !uncertain.has(loaded.doc.metadata.namespace))
      at(
        loaded,
        ["metadata", "name"],
        `BackendConfig ${key} is named by no MultiClusterService, so none of its settings apply; name it in a service's ${ANNOTATIONS.backendConfig[0]} annotation ('{"default": "${loaded.doc.metadata.name}"}'), or remove it`,
        "warning",
      );
  }
  const frontendNames = new Set(
    documents.ingresses.flatMap((i) => {
      const named = ingressAnnotations(i.doc).frontendConfig?.name;
      return named === undefined ? [] : [`${i.doc.metadata.namespace}/${named}`];
    }),
  );
  for (const loaded of documents.frontendConfigs) {
    const key = keyOf(loaded.doc);
    if (!frontendNames.has(key) && !uncertain.has(loaded.doc.metadata.namespace))
      at(
        loaded,
        ["metadata", "name"],
        `FrontendConfig ${key} is named by no MultiClusterIngress, so none of its settings apply; name it in an ingress's ${ANNOTATIONS.frontendConfig[0]} annotation, or remove it`,
        "warning",
      );
  }
}
