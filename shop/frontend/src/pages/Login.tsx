// Log in: POST /api/v1/auth/cookie/token/ (access token to memory, refresh token to a cookie),
// then the visitor's cart joins the account's, as on the pages (cart.tsx does that).
import { useState } from "react";
import { useNavigate, useSearchParams } from "react-router";

import { login } from "../api/auth";
import { toApiError } from "../api/errors";
import { asApiError } from "../hooks";
import { ErrorList } from "./Errors";

export default function Login() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (form: FormData) => {
    setErrors([]);
    setBusy(true);
    try {
      const response = await login(String(form.get("email")), String(form.get("password")));
      if (!response.ok) {
        // 401 wrong password, 429 locked out or throttled: the API's message says which.
        setErrors(toApiError(response.status, await response.json().catch(() => null)).errors.map((e) => e.detail));
        return;
      }
      navigate(params.get("next") ?? "/");
    } catch (error) {
      setErrors(asApiError(error).errors.map((e) => e.detail));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>Log in</h1>
      <form
        className="stacked"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(new FormData(e.currentTarget));
        }}
      >
        <label>Email <input name="email" type="email" autoComplete="username" required /></label>
        <label>Password <input name="password" type="password" autoComplete="current-password" required /></label>
        <ErrorList messages={errors} />
        <button type="submit" disabled={busy}>Log in</button>
      </form>
      <p className="hint">Demo: customer@shop.example / demo-pass-2024</p>
    </section>
  );
}
