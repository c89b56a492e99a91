import type { ReactNode } from 'react';
import { errorDetails } from '../apollo/errors';

/** An error as the platform reports it: message, `extensions.code` and `extensions.requestId` (quote it to support). */
export function ErrorPanel({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  const details = errorDetails(error);
  return (
    <div className="error-panel" role="alert" data-testid="error">
      <strong>{title}</strong>
      <ul>
        {details.map((detail, index) => (
          <li key={index}>
            {detail.code !== undefined && <code className="error-code">{detail.code}</code>} {detail.message}
            {detail.requestId !== undefined && <span className="request-id"> request id <code>{detail.requestId}</code></span>}
            {detail.service !== undefined && <span className="service"> ({detail.service})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
