/**
 * A delete button with a confirmation dialog (a modal <dialog>: focus moves into it, Escape
 * cancels). The server's refusal (its code and message, e.g. DATASET_IN_USE) is shown next to the
 * button.
 */
import { useRef } from 'preact/hooks';
import { ErrorBox } from './ui';
import { useAction } from './use-action';

/**
 * "Delete `what`": asks first; on Delete runs `remove`, then `done` (navigate, reload). `id` names
 * the dialog's heading.
 */
export function DeleteButton({ id, what, consequence, remove, done }: { id: string; what: string; consequence: string; remove: () => Promise<unknown>; done: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { busy, error, run } = useAction();
  const confirm = () =>
    run(async () => {
      try {
        await remove();
      } finally {
        dialog.current?.close();
      }
      done();
    });
  return (
    <div class="delete">
      <button type="button" class="danger" onClick={() => dialog.current?.showModal()} disabled={busy}>
        Delete {what}
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}>
        <h2 id={`${id}-title`}>Delete {what}?</h2>
        <p id={`${id}-text`}>{consequence} This cannot be undone.</p>
        <div class="actions">
          <button type="button" class="danger" onClick={confirm} disabled={busy}>
            {busy ? 'Deleting…' : 'Delete'}
          </button>
          <button type="button" class="secondary" onClick={() => dialog.current?.close()} autofocus>
            Cancel
          </button>
        </div>
      </dialog>
      <ErrorBox error={error} />
    </div>
  );
}
