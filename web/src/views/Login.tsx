/** The login form: an API token is exchanged for a session cookie (the token itself is not kept). */
import { type FormEvent, useId, useState } from "react";
import { useSession } from "../auth";

export function Login() {
  const { login } = useSession();
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await login(token.trim());
      setToken("");
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="login">
      <form
        className="card login-card"
        onSubmit={(event) => void submit(event)}
        aria-labelledby={`${id}-title`}
      >
        <div className="brand">
          <img src="/favicon.svg" alt="" width="32" height="32" />
          <h1 id={`${id}-title`}>Railyard</h1>
        </div>
        <p className="subtitle">
          Log in with an API token. It opens a session in this browser; the token is not stored.
        </p>
        <label className="field" htmlFor={`${id}-token`}>
          <span>API token</span>
          <input
            id={`${id}-token`}
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            required
            aria-invalid={failure ? true : undefined}
            aria-describedby={failure ? `${id}-error` : `${id}-hint`}
          />
        </label>
        <p id={`${id}-hint`} className="hint">
          <code>railyard token create</code> makes one; the demo writes an admin token to{" "}
          <code>.railyard/demo/admin-token</code>.
        </p>
        {failure ? (
          <p id={`${id}-error`} className="form-error" role="alert">
            {failure}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy || token.trim() === ""}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
