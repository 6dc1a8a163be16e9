/**
 * In-process counts of inbound webhook deliveries: accepted per receiver, refused per receiver
 * and reason. `GET /api/v1/health` shows them; a metrics endpoint reads the same numbers
 * (`railyard_webhook_rejected_total{provider,reason}`). They start at zero with the process.
 */

/** The webhook receivers. */
export const WEBHOOK_PROVIDERS = ["github", "gitlab", "generic"] as const;
export type WebhookCounterProvider = (typeof WEBHOOK_PROVIDERS)[number];

/**
 * Why a delivery was refused: a missing or wrong `signature` (GitHub, generic) or `token`
 * (GitLab); a `replay` of a delivery accepted before; `stale` (older than `webhooks.maxAge`) or
 * `future` (stamped too far ahead); a verified `payload` that cannot be read.
 */
export const WEBHOOK_REJECTIONS = ["signature", "token", "replay", "stale", "future", "payload"] as const;
export type WebhookRejection = (typeof WEBHOOK_REJECTIONS)[number];

/** A copy of the counts, every receiver and reason present (zero when none). */
export interface WebhookCountsSnapshot {
  accepted: Record<WebhookCounterProvider, number>;
  rejected: Record<WebhookCounterProvider, Record<WebhookRejection, number>>;
}

/** Counts of accepted and refused webhook deliveries. */
export class WebhookCounters {
  readonly #accepted = new Map<WebhookCounterProvider, number>();
  readonly #rejected = new Map<`${WebhookCounterProvider}:${WebhookRejection}`, number>();

  /** Counts a delivery answered 202 (statuses recorded, or an event without CI status). */
  accepted(provider: WebhookCounterProvider): void {
    this.#accepted.set(provider, (this.#accepted.get(provider) ?? 0) + 1);
  }

  /** Counts a refused delivery. */
  rejected(provider: WebhookCounterProvider, reason: WebhookRejection): void {
    const key = `${provider}:${reason}` as const;
    this.#rejected.set(key, (this.#rejected.get(key) ?? 0) + 1);
  }

  /** The counts now. */
  snapshot(): WebhookCountsSnapshot {
    const accepted = {} as WebhookCountsSnapshot["accepted"];
    const rejected = {} as WebhookCountsSnapshot["rejected"];
    for (const provider of WEBHOOK_PROVIDERS) {
      accepted[provider] = this.#accepted.get(provider) ?? 0;
      const reasons = {} as Record<WebhookRejection, number>;
      for (const reason of WEBHOOK_REJECTIONS)
        reasons[reason] = this.#rejected.get(`${provider}:${reason}`) ?? 0;
      rejected[provider] = reasons;
    }
    return { accepted, rejected };
  }
}

const countersByEngine = new WeakMap<object, WebhookCounters>();

/**
 * The counters of one engine (one `Railyard`), made on first use: the webhook routes count into
 * them, the health route and a metrics endpoint read them, without wiring through the server.
 */
export function webhookCountersOf(railyard: object): WebhookCounters {
  let counters = countersByEngine.get(railyard);
  if (!counters) {
    counters = new WebhookCounters();
    countersByEngine.set(railyard, counters);
  }
  return counters;
}
