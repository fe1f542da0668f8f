// How every page shows an ApiError: the messages, as the API wrote them.
import type { ApiError } from "../api/errors";

export function ErrorList({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="errors" role="alert">
      {messages.map((m) => <li key={m}>{m}</li>)}
    </ul>
  );
}

export function ShowError({ error }: { error: ApiError | null }) {
  return error ? <ErrorList messages={error.errors.map((e) => e.detail)} /> : null;
}
