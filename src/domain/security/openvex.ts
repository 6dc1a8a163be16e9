/**
 * OpenVEX (v0.2.0, and the v0.0.x drafts): statements saying whether products are affected by a
 * vulnerability. It reports no findings; the `security` gate uses its statements to set findings
 * of other reports aside.
 */
import { FindingSet } from "./findings.js";
import { arrayAt, isObject, type Json, objectAt, shapeError, text } from "./json.js";
import type { SecuritySummary, VexStatement } from "./model.js";

const FORMAT = "OpenVEX document";

const STATUSES = new Set<unknown>(["not_affected", "affected", "fixed", "under_investigation"]);

/** Whether the document is OpenVEX: its `@context` is an openvex.dev namespace. */
export function isOpenVex(doc: Json): boolean {
  const context = doc["@context"];
  return typeof context === "string" && context.startsWith("https://openvex.dev/ns");
}

/** The purl (or other id) of a product or subcomponent: a string (v0.0.x), or `@id`, else its purl. */
function productId(product: unknown, path: string): string {
  if (typeof product === "string" && product !== "") return product;
  if (isObject(product)) {
    const id =
      text(product["@id"]) ?? (isObject(product.identifiers) ? text(product.identifiers.purl) : null);
    if (id !== null) return id;
  }
  throw shapeError(FORMAT, path, 'a purl, or an object with "@id" or "identifiers.purl"', product);
}

/**
 * Reads an OpenVEX document: one {@link VexStatement} per statement, the vulnerability's `name`
 * (else its `@id`) as id, and as products each product's `@id` followed by its subcomponents'
 * (v0.2.0 nests subcomponents in a product, v0.0.x lists them beside the products); justification
 * is the `justification` label, else the `impact_statement`.
 * @throws {SecurityReportError} when `statements` is missing, or a statement has no vulnerability
 *   or an unknown status
 */
export function readOpenVex(doc: Json): SecuritySummary {
  if (!Array.isArray(doc.statements)) {
    throw shapeError(FORMAT, "statements", "an array of statements", doc.statements);
  }
  const vex: VexStatement[] = [];
  doc.statements.forEach((value: unknown, i) => {
    const at = `statements[${i}]`;
    const statement = objectAt(value, FORMAT, at);
    const vulnerability = statement.vulnerability;
    const id =
      text(vulnerability) ??
      (isObject(vulnerability) ? (text(vulnerability.name) ?? text(vulnerability["@id"])) : null);
    if (id === null) {
      throw shapeError(FORMAT, `${at}.vulnerability`, 'a name, or an object with "name"', vulnerability);
    }
    const status = statement.status;
    if (!STATUSES.has(status)) {
      throw shapeError(
        FORMAT,
        `${at}.status`,
        "not_affected, affected, fixed or under_investigation",
        status,
      );
    }
    const products: string[] = [];
    const add = (product: string) => {
      if (!products.includes(product)) products.push(product);
    };
    arrayAt(statement.products, FORMAT, `${at}.products`).forEach((product, j) => {
      add(productId(product, `${at}.products[${j}]`));
      if (isObject(product)) {
        arrayAt(product.subcomponents, FORMAT, `${at}.products[${j}].subcomponents`).forEach((sub, k) => {
          add(productId(sub, `${at}.products[${j}].subcomponents[${k}]`));
        });
      }
    });
    arrayAt(statement.subcomponents, FORMAT, `${at}.subcomponents`).forEach((sub, k) => {
      add(productId(sub, `${at}.subcomponents[${k}]`));
    });
    vex.push({
      id,
      products,
      status: status as VexStatement["status"],
      justification: text(statement.justification) ?? text(statement.impact_statement),
    });
  });
  return new FindingSet("openvex").summary(null, vex);
}
