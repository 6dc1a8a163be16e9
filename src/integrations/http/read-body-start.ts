/** Reading no more of a response body than is kept as evidence. */

/**
 * Reads at most `limit` bytes of the body, then stops reading (and cancels the rest). The text
 * is decoded as UTF-8; a character cut at the limit is dropped.
 * @throws what reading the body throws (the request's signal aborting, the connection closing).
 */
export async function readBodyStart(
  response: Response,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: "", truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    // Stop once past the limit: bytes beyond it only tell that the body was cut.
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return { text: size > limit ? text.replace(/\uFFFD$/, "") : text, truncated: size > limit };
}
