/** Package URLs (`pkg:npm/%40babel/core@7.0.0`), read as far as a finding needs: name and version. */

/** Types whose namespace is the distribution or registry, not part of the package's name. */
const VENDOR_NAMESPACE = new Set(["deb", "rpm", "apk", "alpm", "oci", "docker", "qpkg"]);

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/**
 * The package name and version of a purl, named as scanners name packages: `@babel/core` (npm),
 * `org.apache.logging.log4j:log4j-core` (Maven), `github.com/x/y` (Go), `curl` (deb, not
 * `debian/curl`). Null when `purl` is no `pkg:` URL.
 */
export function purlPackage(purl: string): { name: string; version: string | null } | null {
  if (!purl.startsWith("pkg:")) return null;
  let rest = purl.slice(4);
  const hash = rest.indexOf("#");
  if (hash !== -1) rest = rest.slice(0, hash);
  const query = rest.indexOf("?");
  if (query !== -1) rest = rest.slice(0, query);
  const at = rest.lastIndexOf("@");
  const version = at === -1 ? null : decode(rest.slice(at + 1)) || null;
  const segments = (at === -1 ? rest : rest.slice(0, at)).split("/").filter((s) => s !== "");
  if (segments.length < 2) return null;
  const type = segments[0]!.toLowerCase();
  const name = decode(segments[segments.length - 1]!);
  const namespace = segments.slice(1, -1).map(decode);
  if (namespace.length === 0 || VENDOR_NAMESPACE.has(type)) return { name, version };
  return { name: `${namespace.join("/")}${type === "maven" ? ":" : "/"}${name}`, version };
}
