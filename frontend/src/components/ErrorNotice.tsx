import type { GraphQLError } from '../api';

/** Plain-words wording for an API error, by code. */
export function describeError(error: GraphQLError): string {
  switch (error.code) {
    case 'FORBIDDEN':
      return 'You do not have permission to do this.';
    case 'NETWORK':
      return error.message;
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again to continue.';
    default:
      return error.message || 'Something went wrong.';
  }
}

export function ErrorNotice({ error, onRetry, prefix }: { error: GraphQLError; onRetry?: () => void; prefix?: string }) {
  return (
    <div className="alert alert-error" role="alert">
      <span>
        {prefix ? `${prefix} ` : ''}
        {describeError(error)}
      </span>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * What a read shows before (or instead of) its answer: the error, with Try again, and "Loading…"
 * until the first answer has arrived (`loaded`).
 */
export function LoadStatus({
  error,
  loading,
  loaded,
  onRetry,
  prefix,
}: {
  error: GraphQLError | null;
  loading: boolean;
  loaded: boolean;
  onRetry: () => void;
  /** Opens the error's sentence, e.g. "Could not load the stores:". */
  prefix: string;
}) {
  return (
    <>
      {error && <ErrorNotice error={error} onRetry={onRetry} prefix={prefix} />}
      {loading && !loaded && (
        <p className="muted" role="status">
          Loading…
        </p>
      )}
    </>
  );
}

/** A form's error line (role="alert"), shown only while there is a message. */
export function FormAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="alert alert-error" role="alert">
      {message}
    </p>
  );
}
