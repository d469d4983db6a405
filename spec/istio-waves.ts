/**
 * The Istio upgrade waves as the admin declares them (`fleetgate:mesh.istio.version`, `.revisions`,
 * `.waves`), checked before anything is planned: every wave names real clusters and gets some, each
 * cluster is in one wave, a wave's version is one of its installed revisions, a new version reaches the
 * waves in their order (the clusters in no wave last), and no two versions the mesh runs at once are
 * further apart than Istio supports [istio.upgrade-skew]. What a step may change against the previous
 * deployment is the upgrade guard's (spec/istio-upgrade-guard.ts).
 */
import { cite } from "../contracts/contract";
import { istioMinor, istioSkewSupported, istioUpgradeSkew, nextSupportedMinor } from "../contracts/istio-upgrades";
import { istioParametersRef, MIN_ISTIO_PARAMETERS_REF } from "../contracts/kubernetes";
import type { PathSegment, Severity } from "./diagnostics";
import { didYouMean } from "./names";
import { compareVersions, istioWaveOf } from "./resolve";
import type { ClusterConfig, EnvironmentConfig } from "./schema/environment";

type EnvReport = (path: PathSegment[], message: string, severity?: Severity) => void;

/** The clusters that run one Istio version: a wave, or the clusters in no wave (which come last). */
export interface IstioGroup {
  /** How messages name it: `wave "canary" (waves[0])` or `the clusters in no wave`. */
  readonly label: string;
  /** The wave's name; absent for the clusters in no wave. */
  readonly wave?: string;
  /** Where its settings are under `fleetgate:`: `["mesh", "istio", "waves", 0]` or `["mesh", "istio"]`. */
  readonly path: readonly PathSegment[];
  /** The version its gateways run; absent where none is set. */
  readonly version?: string;
  /** Its `revisions` as written; absent when not written (then the one `version`). */
  readonly revisions?: readonly string[];
  /** Its clusters where Fleetgate installs Istio. */
  readonly clusters: readonly string[];
}

/** The wave path of a group's setting, e.g. `["mesh", "istio", "waves", 1, "version"]`. */
export function groupSetting(group: Pick<IstioGroup, "path">, field: "version" | "revisions", index?: number): PathSegment[] {
  return [...group.path, field, ...(index !== undefined ? [index] : [])];
}

/** The versions a group keeps installed: its revisions and its version, oldest first. */
export function installedVersions(group: Pick<IstioGroup, "version" | "revisions">): string[] {
  return [...new Set([...(group.version !== undefined ? [group.version] : []), ...(group.revisions ?? [])])].sort(compareVersions);
}

/** Whether Fleetgate installs Istio in a cluster (not where the admin turned it off or installed it). */
export function installsIstio(config: EnvironmentConfig, cluster: ClusterConfig): boolean {
  return (config.mesh?.istio.install ?? true) && !(cluster.istio?.preinstalled ?? false);
}

/** The waves in their order, then the clusters in no wave (present only when it holds a cluster or there are no waves). */
export function istioGroups(config: EnvironmentConfig): IstioGroup[] {
  const istio = config.mesh?.istio;
  const waves = istio?.waves ?? [];
  const installing = config.clusters.filter((c) => installsIstio(config, c));
  const groups: IstioGroup[] = waves.map((wave, i) => ({
    label: `wave "${wave.name}" (waves[${i}])`,
    wave: wave.name,
    path: ["mesh", "istio", "waves", i],
    version: wave.version,
    ...(wave.revisions ? { revisions: wave.revisions } : {}),
    clusters: installing.filter((c) => istioWaveOf(config, c) === wave).map((c) => c.name),
  }));
  const rest = installing.filter((c) => istioWaveOf(config, c) === undefined).map((c) => c.name);
  if (rest.length > 0 || waves.length === 0)
    groups.push({
      label: "the clusters in no wave",
      path: ["mesh", "istio"],
      ...(istio?.version !== undefined ? { version: istio.version } : {}),
      ...(istio?.revisions ? { revisions: istio.revisions } : {}),
      clusters: rest,
    });
  return groups;
}

export function checkIstioWaves(config: EnvironmentConfig, env: EnvReport): void {
  const istio: NonNullable<EnvironmentConfig["mesh"]>["istio"] = config.mesh?.istio ?? { install: true };
  const waves = istio.waves ?? [];
  const names = config.clusters.map((c) => c.name);
  const byName = new Map(config.clusters.map((c, i) => [c.name, { cluster: c, index: i }]));

  if (!istio.install) {
    // Nothing of it is applied; say so at each setting rather than ignore it.
    for (const field of ["version", "revisions", "keepUnrevisionedIstiod", "waves"] as const)
      if (istio[field] !== undefined)
        env(
          ["mesh", "istio", field],
          `is set, but fleetgate:mesh.istio.install is false, so Fleetgate installs no Istio and this setting does nothing; remove it, or set install to true`,
          "warning",
        );
    return;
  }

  // --- Wave names and the clusters they name.
  const named = new Map<string, number>();
  waves.forEach((wave, i) => {
    const first = waves.findIndex((w) => w.name === wave.name);
    if (first < i) env(["mesh", "istio", "waves", i, "name"], `"${wave.name}" is already the name of waves[${first}]; give every wave its own name`);
    (wave.clusters ?? []).forEach((name, j) => {
      const at: PathSegment[] = ["mesh", "istio", "waves", i, "clusters", j];
      const known = byName.get(name);
      if (!known) {
        env(at, `"${name}" is not a cluster of the fleet${didYouMean(name, names) || `; name one of ${names.map((n) => `"${n}"`).join(", ")}`}`);
        return;
      }
      const earlier = named.get(name);
      if (earlier === i) env(at, `names "${name}" twice; name each cluster once`);
      else if (earlier !== undefined)
        env(
          at,
          `names "${name}", which wave "${waves[earlier]!.name}" (waves[${earlier}]) names already; a cluster is in one wave (the first that names it), so remove it from one of them`,
        );
      else named.set(name, i);
      if (earlier === undefined && !installsIstio(config, known.cluster))
        env(
          at,
          `names "${name}", whose Istio is preinstalled (fleetgate:clusters[${known.index}].istio.preinstalled): Fleetgate installs nothing there, so the wave's version does not apply to it; remove it from the wave`,
          "warning",
        );
    });
    const selected = config.clusters.filter((c) => istioWaveOf(config, c) === wave && !(wave.clusters ?? []).includes(c.name));
    const preinstalled = selected.filter((c) => !installsIstio(config, c)).map((c) => c.name);
    if (wave.selector !== undefined && preinstalled.length > 0)
      env(
        ["mesh", "istio", "waves", i, "selector"],
        `selects ${preinstalled.map((n) => `"${n}"`).join(", ")}, whose Istio is preinstalled: Fleetgate installs nothing there, so the wave's version does not apply to ${preinstalled.length === 1 ? "it" : "them"}`,
        "warning",
      );
  });

  const groups = istioGroups(config);
  for (const group of groups) checkGroup(group, env);
  const waveGroups = groups.filter((g) => g.wave !== undefined);
  waveGroups.forEach((group, i) => {
    if (group.clusters.length === 0 && waves.findIndex((w) => w.name === group.wave) === i)
      env(
        [...group.path],
        `(wave "${group.wave}") gets no cluster where Fleetgate installs Istio: ${waves[i]!.clusters === undefined && waves[i]!.selector === undefined ? "it names no cluster and has no selector" : "the clusters it names or selects are in earlier waves, preinstalled, or none matches"}; remove it or give it clusters`,
        "warning",
      );
  });

  // --- The clusters in no wave run the top-level version.
  const rest = groups.find((g) => g.wave === undefined);
  if (rest && rest.clusters.length > 0 && istio.version === undefined)
    env(
      ["mesh"],
      waves.length > 0
        ? `sets upgrade waves but no fleetgate:mesh.istio.version, and ${rest.clusters.map((n) => `"${n}"`).join(", ")} ${rest.clusters.length === 1 ? "is" : "are"} in no wave; set fleetgate:mesh.istio.version to the version the clusters in no wave run (a chart version such as 1.28.0), or put them in a wave`
        : `does not pin an Istio version, but Fleetgate installs Istio; set fleetgate:mesh.istio.version to a chart version such as 1.28.0`,
    );
  if (waves.length > 0 && (!rest || rest.clusters.length === 0) && istio.revisions !== undefined)
    env(
      ["mesh", "istio", "revisions"],
      `is set, but every cluster is in an upgrade wave, so no cluster runs the top-level revisions; remove them, or set revisions on the waves`,
      "warning",
    );

  // --- Order: a new version reaches the waves in their order, the clusters in no wave last.
  const running = groups.filter((g) => g.version !== undefined && g.clusters.length > 0);
  running.forEach((group, i) => {
    const behind = running.slice(0, i).find((earlier) => compareVersions(earlier.version!, group.version!) < 0);
    if (behind)
      env(
        groupSetting(group, "version"),
        `is ${group.version} for ${group.label}, ahead of ${behind.label}, which runs ${behind.version}: a new Istio version reaches the waves in their order, and the clusters in no wave last; raise ${behind.label} to ${group.version} first (fleetgate:${formatSetting(groupSetting(behind, "version"))}), or keep ${group.label} at ${behind.version}`,
      );
  });

  // --- Skew across the mesh: every group's control planes run at once and talk to each other.
  const all = running.flatMap((g) => installedVersions(g).map((version) => ({ group: g, version })));
  if (all.length > 0) {
    const oldest = all.reduce((a, b) => (compareVersions(b.version, a.version) < 0 ? b : a));
    const newest = all.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a));
    if (oldest.group !== newest.group && !istioSkewSupported(oldest.version, newest.version))
      env(
        versionSetting(newest.group, newest.version),
        `is ${newest.version} for ${newest.group.label}, while ${oldest.group.label} still ${runs(oldest.group)} ${oldest.version}: the mesh's istiods of every wave run at once and configure each other's gateways, and Istio supports versions at most one minor version apart ${cite(istioUpgradeSkew)}; bring every wave to ${nextSupportedMinor(oldest.version, newest.version)} first, then to ${istioMinor(newest.version)}`,
      );
  }
}

/** One group's own settings: version among revisions, no duplicates, versions Istio can run side by side. */
function checkGroup(group: IstioGroup, env: EnvReport): void {
  const revisions = group.revisions ?? [];
  revisions.forEach((version, k) => {
    if (revisions.indexOf(version) < k) env(groupSetting(group, "revisions", k), `lists ${version} twice; list each installed version once`);
  });
  if (group.version !== undefined && group.revisions !== undefined && !revisions.includes(group.version))
    env(
      groupSetting(group, "version"),
      `is ${group.version}, which is not among the installed revisions (${revisions.join(", ")}) of ${group.label}: the gateways run a revision that is installed; add ${group.version} to revisions, or set version to one of them`,
    );
  const [minMajor, minMinor] = MIN_ISTIO_PARAMETERS_REF;
  for (const version of installedVersions(group)) {
    const [major = 0, minor = 0] = version.split(".").map(Number);
    // The top-level version's floor is the environment check's (spec/validate.ts).
    if (group.wave !== undefined && version === group.version && (major < minMajor || (major === minMajor && minor < minMinor)))
      env(
        groupSetting(group, "version"),
        `is ${version}, older than ${minMajor}.${minMinor}: Istio reads the gateways' sizing and proxy settings (the Gateway's infrastructure.parametersRef) from ${minMajor}.${minMinor} on ${cite(istioParametersRef)}; pin ${minMajor}.${minMinor} or later`,
      );
  }
  const serving = group.version;
  if (serving === undefined) return;
  revisions.forEach((version, k) => {
    if (revisions.indexOf(version) === k && !istioSkewSupported(version, serving))
      env(
        groupSetting(group, "revisions", k),
        `is ${version}, but ${group.label} ${runs(group)} ${serving}: the revisions of one cluster are the steps of one upgrade, and Istio upgrades at most one minor version at a time ${cite(istioUpgradeSkew)}; keep only revisions of ${istioMinor(serving)} and the minor versions next to it (${nextSupportedMinor(serving, version)})`,
      );
  });
}

/** Where a group's given installed version is written: its version, else its entry in revisions. */
function versionSetting(group: IstioGroup, version: string): PathSegment[] {
  if (group.version === version) return groupSetting(group, "version");
  const k = (group.revisions ?? []).indexOf(version);
  return k >= 0 ? groupSetting(group, "revisions", k) : groupSetting(group, "version");
}

/** The verb agreeing with a group's label: a wave runs, the clusters in no wave run. */
function runs(group: IstioGroup): string {
  return group.wave === undefined ? "run" : "runs";
}

function formatSetting(path: readonly PathSegment[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
