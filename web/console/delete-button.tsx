/**
 * A delete button with a confirmation dialog (confirm-dialog.tsx: a modal <dialog>, focus moves
 * into it, Escape cancels). The server's refusal (its code and message, e.g. DATASET_IN_USE) is shown next to the
 * button. Where the API's delete takes `force`, a refusal with one of the `force.codes` also offers
 * the forced delete, behind a second dialog that says what else goes and asks for an explicit tick.
 */
import { useState } from 'preact/hooks';
import type { ApiError } from './api';
import { closingAfter, ConfirmDialog, useDialog, type Dialog } from './confirm-dialog';
import { ErrorBox } from './ui';
import { useAction } from './use-action';

/** The forced delete a refusal may lead to. */
export interface ForceOption {
  /** The refusal codes that offer it, e.g. ['DATASET_IN_USE']. */
  codes: string[];
  /** What the forced delete does, for its button and dialog heading, e.g. 'Archive dataset pima'. */
  label: string;
  /** The confirming button's text, e.g. 'Archive'. */
  verb: string;
  /** What else goes, from the refusal (its extensions name the versions or aliases). */
  consequence: (refusal: ApiError) => string;
  /** The confirmation box's label, e.g. 'Yes, archive it although versions use it'. */
  confirm: string;
  remove: () => Promise<unknown>;
}

/**
 * "Delete `what`": asks first; on Delete runs `remove`, then `done` (navigate, reload). `id` names
 * the dialog's heading. With `force`, a refusal coded in `force.codes` offers the forced delete.
 * `undo` ends the dialog's text (Default: 'This cannot be undone.'), e.g. how to make an alias again.
 */
export function DeleteButton({
  id,
  what,
  consequence,
  undo = 'This cannot be undone.',
  remove,
  done,
  force,
}: {
  id: string;
  what: string;
  consequence: string;
  undo?: string;
  remove: () => Promise<unknown>;
  done: () => void;
  force?: ForceOption;
}) {
  const first = useDialog();
  const second = useDialog();
  const [ticked, setTicked] = useState(false);
  const { busy, error, run } = useAction();
  const attempt = (dialog: Dialog, work: () => Promise<unknown>) => run(closingAfter(dialog, work, done));
  const refusal = force && error && force.codes.includes(error.code) ? error : null;
  return (
    <div class="delete">
      <button type="button" class="danger" onClick={first.open} disabled={busy}>
        Delete {what}
      </button>
      <ConfirmDialog
        dialog={first}
        id={id}
        title={`Delete ${what}?`}
        text={`${consequence} ${undo}`}
        verb="Delete"
        busyVerb="Deleting…"
        busy={busy}
        onConfirm={() => attempt(first, remove)}
      />
      <ErrorBox error={error} />
      {refusal && force ? (
        <button
          type="button"
          class="danger"
          onClick={() => {
            setTicked(false);
            second.open();
          }}
        >
          {force.label} anyway…
        </button>
      ) : null}
      {force ? (
        <ConfirmDialog
          dialog={second}
          id={`${id}-force`}
          title={`${force.label} anyway?`}
          text={refusal ? force.consequence(refusal) : ''}
          verb={force.verb}
          busy={busy}
          blocked={!ticked}
          onConfirm={() => attempt(second, force.remove)}
        >
          <label class="check">
            <input type="checkbox" checked={ticked} onChange={(e) => setTicked(e.currentTarget.checked)} /> {force.confirm}
          </label>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
