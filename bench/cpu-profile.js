/** Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where the CPU time went. */

/** The package, Railyard layer or runtime part a script URL belongs to. */
function areaOf(url, root) {
  if (!url) return "(V8 / native)";
  const file = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = file.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const parts = file.slice(modules + "/node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (file.startsWith("node:")) return "node (runtime)";
  if (file.startsWith(root)) {
    const relative = file.slice(root.length + 1).split("/");
    return relative[0] === "dist" ? `railyard ${relative[1]}` : relative.slice(0, 2).join("/");
  }
  return file;
}

/**
 * Self time per function and per area (package or Railyard layer), in ms and as a share of the
 * busy (non-idle) time.
 * @param top how many functions to list @default 25
 */
export function summarizeProfile(profile, root, top = 25) {
  const selfMs = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const functions = new Map();
  const areas = new Map();
  let idle = 0;
  let total = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idle += ms;
      continue;
    }
    const area = functionName.startsWith("(") ? functionName : areaOf(url, root);
    const file = url ? url.replace(`file://${root}/`, "").replace(/^.*\/node_modules\//, "") : "";
    const key = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + ms);
    areas.set(area, (areas.get(area) ?? 0) + ms);
  }
  const busy = total - idle;
  const rank = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((1000 * ms) / busy) / 10 }));
  return {
    totalMs: Math.round(total),
    idleMs: Math.round(idle),
    busyMs: Math.round(busy),
    areas: rank(areas, 20),
    functions: rank(functions, top),
  };
}
