/**
 * The buttons for what a person may do to a train now (the train's `allowedActions` from
 * GET /api/v1/trains/{id}, or its `progress` from GET /api/v1/trains?include=progress): approve, reject, pause, resume, roll back (whole train or the wave in
 * progress), retry, abort and promote. Each asks before it acts, says what will happen, is
 * disabled with the reason when the user's roles may not take it, and shows the server's refusal.
 */
import { useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { api, type TrainAction, type TrainInFlight, unwrap } from "../api/client";
import { mayTake, useSession } from "../auth";
import { ConfirmButton, Time } from "./ui";
import "./train-actions.css";

/** The order the buttons appear in: the on-call's most urgent first. */
const ORDER: TrainAction[] = [
  "approve",
  "reject",
  "promote",
  "pause",
  "resume",
  "retry",
  "rollback",
  "abort",
];

/** Wave statuses in which the train's current wave has changed production. */
const WAVE_IN_PROGRESS = new Set(["deploying", "baking", "verifying", "failed"]);
const WAVE_REACHED = new Set(["done", "deploying", "baking", "verifying", "failed"]);

/** "a", "a and b", "a, b and c". */
function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** Environments the train deployed to (or is deploying to), in rollout order. */
export function environmentsReached(detail: TrainInFlight): string[] {
  return detail.waves.filter((wave) => WAVE_REACHED.has(wave.status)).flatMap((wave) => wave.environments);
}

/** The wave the train is in while it has changed production there, else null. */
export function waveInProgress(detail: TrainInFlight): TrainInFlight["waves"][number] | null {
  const wave = detail.waves[detail.train.currentWave];
  return wave && WAVE_IN_PROGRESS.has(wave.status) ? wave : null;
}

interface ActionButton {
  key: string;
  action: TrainAction;
  label: string;
  aria: string;
  title: string;
  consequence: ReactNode;
  danger?: boolean;
  reason?: "optional" | "required";
  confirmLabel?: string;
  run: (reason: string) => Promise<unknown>;
}

/**
 * Buttons for the train's allowed actions (POST /api/v1/trains/{id}/approvals, /pause, /resume,
 * /retry, /rollback, /abort, /promote). `only` limits them (e.g. approve and reject beside the
 * approval tally). Renders a muted sentence when nothing may be done.
 */
export function TrainActions({
  detail,
  only,
  emptyText = "No action is open to people in this state.",
}: {
  detail: TrainInFlight;
  only?: TrainAction[];
  emptyText?: string | null;
}) {
  const { me } = useSession();
  const client = useQueryClient();
  const [openButton, setOpenButton] = useState<ActionButton | null>(null);
  const { train } = detail;
  const id = train.id;
  const path = { params: { path: { id } } };
  const allowed = new Set(detail.allowedActions);
  const wanted = ORDER.filter((action) => allowed.has(action) && (!only || only.includes(action)));

  const refresh = () => client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== "session" });
  const act = async (call: () => Promise<unknown>) => {
    const answer = await call();
    await refresh();
    return answer;
  };
  const reached = environmentsReached(detail);
  const where = reached.length > 0 ? list(reached) : "no environment yet";
  const wave = waveInProgress(detail);
  const awaiting = detail.awaiting;

  const buttons: ActionButton[] = [];
  for (const action of wanted) {
    switch (action) {
      case "approve":
        buttons.push({
          key: action,
          action,
          label: "Approve",
          aria: `Approve ${id}`,
          title: `Approve ${id}?`,
          consequence:
            awaiting?.kind === "approval" ? (
              `Approves step ${awaiting.step} of wave ${awaiting.wave}; the rollout of ${id} goes on.`
            ) : (
              <>
                Records your approval of {id} (manifest revision {train.manifestRevision}). Once every
                approving group is satisfied it departs at <Time at={train.departureAt} /> or when its window
                opens.
              </>
            ),
          reason: "optional",
          confirmLabel: "Approve",
          run: (comment) =>
            act(() =>
              unwrap(
                api.POST("/api/v1/trains/{id}/approvals", {
                  ...path,
                  body: { decision: "approve", comment: comment || null },
                }),
              ),
            ),
        });
        break;
      case "reject":
        buttons.push({
          key: action,
          action,
          label: "Reject",
          aria: `Reject ${id}`,
          title: `Reject ${id}?`,
          consequence: `Blocks ${id}: it will not deploy until the problem is fixed and it is retried. Your comment is recorded in the audit trail and sent to the teams.`,
          danger: true,
          reason: "required",
          confirmLabel: "Reject",
          run: (comment) =>
            act(() =>
              unwrap(
                api.POST("/api/v1/trains/{id}/approvals", { ...path, body: { decision: "reject", comment } }),
              ),
            ),
        });
        break;
      case "promote":
        buttons.push({
          key: action,
          action,
          label: "Promote",
          aria: `Promote ${id}`,
          title: `Promote ${id}?`,
          consequence:
            train.pauseCause === "analysis"
              ? `Accepts the inconclusive canary analysis and resumes the rollout of ${id}.`
              : awaiting?.kind === "promote"
                ? `Moves ${id} past step ${awaiting.step} of wave ${awaiting.wave}.`
                : `Moves ${id} past the rollout step waiting for a person.`,
          reason: "optional",
          confirmLabel: "Promote",
          run: (comment) =>
            act(() =>
              unwrap(
                api.POST("/api/v1/trains/{id}/promote", { ...path, body: { comment: comment || null } }),
              ),
            ),
        });
        break;
      case "pause":
        buttons.push({
          key: action,
          action,
          label: "Pause",
          aria: `Pause ${id}`,
          title: `Pause ${id}?`,
          consequence: `${id} stops where it is (${train.statusText}); nothing already deployed changes. Only a person resumes it.`,
          reason: "optional",
          confirmLabel: "Pause",
          run: (reason) =>
            act(() =>
              unwrap(api.POST("/api/v1/trains/{id}/pause", { ...path, body: { reason: reason || null } })),
            ),
        });
        break;
      case "resume":
        buttons.push({
          key: action,
          action,
          label: "Resume",
          aria: `Resume ${id}`,
          title: `Resume ${id}?`,
          consequence: `${id} goes on from where it paused${train.resumeTo ? ` (${train.resumeTo.replaceAll("_", " ")})` : ""}.`,
          confirmLabel: "Resume",
          run: () => act(() => unwrap(api.POST("/api/v1/trains/{id}/resume", { ...path, body: {} }))),
        });
        break;
      case "retry":
        buttons.push({
          key: action,
          action,
          label: "Retry",
          aria: `Retry ${id}`,
          title: `Retry ${id}?`,
          consequence: `Runs the failed stage of ${id} again${train.reason ? ` (it failed: ${train.reason})` : ""}.`,
          confirmLabel: "Retry",
          run: () => act(() => unwrap(api.POST("/api/v1/trains/{id}/retry", { ...path, body: {} }))),
        });
        break;
      case "rollback":
        if (wave) {
          buttons.push({
            key: "rollback-wave",
            action,
            label: `Roll back wave ${wave.name}`,
            aria: `Roll back wave ${wave.name} of ${id}`,
            title: `Roll back wave ${wave.name} of ${id}?`,
            consequence: `Returns ${list(wave.environments)} to the versions they ran before ${id}; the train then blocks in wave ${wave.name} and a retry deploys it again. Earlier waves keep the new versions.`,
            danger: true,
            reason: "optional",
            confirmLabel: "Roll back this wave",
            run: (reason) =>
              act(() =>
                unwrap(
                  api.POST("/api/v1/trains/{id}/rollback", {
                    ...path,
                    body: { wave: wave.name, reason: reason || null },
                  }),
                ),
              ),
          });
        }
        buttons.push({
          key: "rollback",
          action,
          label: "Roll back",
          aria: `Roll back ${id}`,
          title: `Roll back ${id}?`,
          consequence: `Rolls ${id} back in every environment it reached: ${where}. Each component returns to the version production ran before; the train ends rolled back.`,
          danger: true,
          reason: "optional",
          confirmLabel: "Roll back",
          run: (reason) =>
            act(() =>
              unwrap(api.POST("/api/v1/trains/{id}/rollback", { ...path, body: { reason: reason || null } })),
            ),
        });
        break;
      case "abort":
        buttons.push({
          key: action,
          action,
          label: "Abort",
          aria: `Abort ${id}`,
          title: `Abort ${id}?`,
          consequence: `Ends ${id} for good; it never deploys. Its components can ride a later train. The reason is recorded in the audit trail.`,
          danger: true,
          reason: "required",
          confirmLabel: "Abort",
          run: (reason) =>
            act(() => unwrap(api.POST("/api/v1/trains/{id}/abort", { ...path, body: { reason } }))),
        });
        break;
      case "drop":
        break;
    }
  }

  // A live update may take an action away while its dialog is open: keep that button (disabled)
  // until the dialog closes, so the person sees the server's answer instead of a vanishing dialog.
  const stale = openButton && !buttons.some((b) => b.key === openButton.key) ? openButton : undefined;
  const gone = stale ? `No longer possible: ${id} is ${train.state.replaceAll("_", " ")} now.` : null;
  const shown = stale ? [...buttons, stale] : buttons;

  if (shown.length === 0) return emptyText ? <p className="muted train-actions-none">{emptyText}</p> : null;
  const why = [...new Set(buttons.map((button) => mayTake(me, button.action).why).filter(Boolean))];
  return (
    <div className="train-actions">
      {/* biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons has no semantic element */}
      <div className="row" role="group" aria-label={`Actions on ${id}`}>
        {shown.map((button) => (
          <ConfirmButton
            key={button.key}
            onOpenChange={(open) => setOpenButton(open ? button : null)}
            label={button.label}
            ariaLabel={button.aria}
            title={button.title}
            consequence={<p>{button.consequence}</p>}
            confirmLabel={button.confirmLabel ?? button.label}
            danger={button.danger ?? false}
            {...(button.reason ? { reason: button.reason } : {})}
            disabledWhy={button === stale ? gone : mayTake(me, button.action).why}
            onConfirm={button.run}
          />
        ))}
      </div>
      {why.length > 0 ? (
        <p className="muted train-actions-why" aria-hidden="true">
          {why.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
