/**
 * The dashboard's building blocks: designed loading, empty and error states (never a blank panel),
 * cards and KPIs, state badges, times with their UTC on hover, and a confirmation dialog for
 * anything that changes production.
 */
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { ApiError } from "../api/client";
import { formatInstant, utc, words } from "../format";

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}…</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="state-body">{children}</div> : null}
    </div>
  );
}

/** What went wrong, in the server's words, with a retry when there is something to retry. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const status = error instanceof ApiError ? error.status : null;
  const title =
    status === 403
      ? "You may not see this"
      : status === 404
        ? "Not found"
        : status === 401
          ? "Your session has ended"
          : "Could not load this";
  const detail = error instanceof Error ? error.message : String(error);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p className="state-body">{detail}</p>
      {retry ? (
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Renders a query's three states: loading, error (with retry), and the data. */
export function QueryView<T>({
  query,
  label,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  label?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading {...(label ? { label } : {})} />;
  if (query.error || query.data === undefined)
    return <ErrorState error={query.error ?? new Error("no data")} retry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

export function Card({
  title,
  actions,
  children,
  className,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const id = useId();
  return (
    <section className={`card ${className ?? ""}`} aria-labelledby={title ? id : undefined}>
      {title || actions ? (
        <header className="card-header">
          {title ? <h2 id={id}>{title}</h2> : null}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

/** A headline number with what it means underneath. */
export function Kpi({
  label,
  value,
  detail,
  tone,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: "good" | "warn" | "bad" | "neutral";
}) {
  return (
    <div className={`kpi tone-${tone ?? "neutral"}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {detail ? <div className="kpi-detail">{detail}</div> : null}
    </div>
  );
}

const STATE_TONE: Record<string, string> = {
  released: "good",
  done: "good",
  passed: "good",
  pass: "good",
  resolved: "good",
  succeeded: "good",
  deploying: "active",
  verifying: "active",
  baking: "active",
  integrating: "active",
  gating: "active",
  running: "active",
  boarding: "info",
  frozen: "info",
  scheduled: "muted",
  pending: "muted",
  skipped: "muted",
  awaiting_approval: "warn",
  paused: "warn",
  inconclusive: "warn",
  warning: "warn",
  blocked: "bad",
  failed: "bad",
  fail: "bad",
  error: "bad",
  rolling_back: "bad",
  rolled_back: "bad",
  aborted: "muted",
  open: "bad",
  critical: "bad",
};

/** A coloured pill with the state in words (the colour is never the only cue). */
export function StateBadge({ state, label }: { state: string; label?: string }) {
  return (
    <span className={`badge tone-${STATE_TONE[state] ?? "muted"}`} data-state={state}>
      {label ?? words(state)}
    </span>
  );
}

/** An instant in the viewer's zone, with UTC on hover and for screen readers via `dateTime`. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span>—</span>;
  return (
    <time dateTime={at} title={utc(at)}>
      {formatInstant(at)}
    </time>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Railyard`;
  }, [title]);
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}

/**
 * A button that asks before it acts: a modal dialog names the consequence, and may ask for a
 * reason. `onConfirm` errors are shown in the dialog (a 403 says who may).
 */
export function ConfirmButton({
  label,
  title,
  consequence,
  confirmLabel,
  danger,
  reason,
  disabledWhy,
  onConfirm,
  ariaLabel,
  onOpenChange,
}: {
  label: string;
  /** Told when the dialog opens and closes (e.g. to keep the button while a live update removes it). */
  onOpenChange?: (open: boolean) => void;
  /** The button's accessible name when the label alone is ambiguous (e.g. "Roll back web-4"). */
  ariaLabel?: string;
  title: string;
  consequence: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  /** Ask for a reason: "required" refuses to confirm without one. */
  reason?: "optional" | "required";
  /** When set, the button is disabled and this says why. */
  disabledWhy?: string | null;
  onConfirm: (reason: string) => Promise<unknown>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const titleId = useId();
  const reasonId = useId();
  const whyId = useId();
  const open = () => {
    setText("");
    setFailure(null);
    dialog.current?.showModal();
    onOpenChange?.(true);
  };
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm(text.trim());
      dialog.current?.close();
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const disabled = Boolean(disabledWhy);
  return (
    <>
      <button
        type="button"
        className={`button ${danger ? "button-danger" : ""}`}
        onClick={open}
        aria-label={ariaLabel}
        aria-disabled={disabled || undefined}
        disabled={disabled}
        title={disabledWhy ?? undefined}
        aria-describedby={disabled ? whyId : undefined}
      >
        {label}
      </button>
      {disabled ? (
        <span id={whyId} className="visually-hidden">
          {disabledWhy}
        </span>
      ) : null}
      <dialog ref={dialog} className="dialog" aria-labelledby={titleId} onClose={() => onOpenChange?.(false)}>
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            void confirm();
          }}
        >
          <h2 id={titleId}>{title}</h2>
          <div className="dialog-body">{consequence}</div>
          {reason ? (
            <label htmlFor={reasonId} className="field">
              <span>Reason{reason === "required" ? "" : " (optional)"}</span>
              <textarea
                id={reasonId}
                value={text}
                onChange={(event) => setText(event.target.value)}
                required={reason === "required"}
                rows={3}
              />
            </label>
          ) : null}
          {failure ? (
            <p className="dialog-error" role="alert">
              {failure}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button
              type="submit"
              className={`button ${danger ? "button-danger" : "button-primary"}`}
              disabled={busy || (reason === "required" && text.trim() === "")}
            >
              {busy ? "Working…" : (confirmLabel ?? label)}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/**
 * Draws `children` (a chart: the heaviest part of a view) one frame after the rest of the view has
 * been painted, so numbers, tables and the chart's own caption and summary show first. Until then
 * an empty box of the same `height` holds its place (no layout shift).
 */
export function AfterPaint({ height, children }: { height: number; children: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let timer = 0;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => setReady(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, []);
  if (ready) return <>{children}</>;
  return <div className="chart-pending" style={{ height }} data-chart-pending="" aria-hidden="true" />;
}

/**
 * A `<details>` whose body is drawn only once it has been opened (then kept): a train's dozens of
 * closed step logs and older analyses cost the first paint nothing. `open` opens it at first.
 */
export function LazyDetails({
  open = false,
  summary,
  children,
}: {
  open?: boolean;
  summary: ReactNode;
  children: () => ReactNode;
}) {
  const [opened, setOpened] = useState(open);
  return (
    <details
      open={open}
      onToggle={(event) => {
        if (event.currentTarget.open) setOpened(true);
      }}
    >
      <summary>{summary}</summary>
      {opened || open ? children() : null}
    </details>
  );
}

/** Copies text to the clipboard, falling back to selecting it in `field` (an input showing it). */
export async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!field) return false;
    field.focus();
    field.select();
    return document.execCommand?.("copy") ?? false;
  }
}
