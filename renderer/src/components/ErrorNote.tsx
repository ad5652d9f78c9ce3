import type { PosFailure } from '../api/client';
import { describeFailure, useT } from '../i18n/use-t';

export function ErrorNote({ failure, availableFen }: { failure: PosFailure | null; availableFen?: number }) {
  const t = useT();
  if (failure === null) return null;
  return (
    <p className="error-note" role="alert" data-code={failure.code}>
      {describeFailure(t, failure, availableFen)}
    </p>
  );
}
