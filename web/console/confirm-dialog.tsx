/**
 * Asking before an action that cannot be taken back or changes what callers get (delete, revoke,
 * point an alias, move a stage): a modal <dialog> (focus moves into it, Escape cancels, Cancel has
 * the focus first) whose heading and text say what happens, and an action that shows the server's
 * refusal (its code and message) beside the button. The deletes (delete-button.tsx) are built on it.
 */
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { ErrorBox } from './ui';
import { useAction } from './use-action';

/** A modal dialog's ref and its open/close. */
export function useDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  return { ref, open: () => ref.current?.showModal(), close: () => ref.current?.close() };
}

export type Dialog = ReturnType<typeof useDialog>;

/** The confirmed action: `work`, then `done`; the dialog closes either way (a refusal shows beside the button, not in the dialog). */
export const closingAfter = (dialog: Dialog, work: () => Promise<unknown>, done: () => void) => async () => {
  try {
    await work();
  } finally {
    dialog.close();
  }
  done();
};

/**
 * The dialog: `title` (its heading, `${id}-title`), `text` (`${id}-text`), `children` under the text
 * (a confirmation box, say), and `verb` on the confirming button (disabled while `busy` or `blocked`).
 */
export function ConfirmDialog({
  dialog,
  id,
  title,
  text,
  verb,
  busyVerb = 'Working…',
  busy,
  blocked = false,
  danger = true,
  onConfirm,
  children,
}: {
  dialog: Dialog;
  id: string;
  title: string;
  text: ComponentChildren;
  verb: string;
  busyVerb?: string;
  busy: boolean;
  blocked?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  children?: ComponentChildren;
}) {
  return (
    <dialog ref={dialog.ref} aria-labelledby={`${id}-title`} aria-describedby={`${id}-text`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-text`}>{text}</p>
      {children}
      <div class="actions">
        <button type="button" class={danger ? 'danger' : undefined} onClick={onConfirm} disabled={busy || blocked}>
          {busy ? busyVerb : verb}
        </button>
        <button type="button" class="secondary" onClick={dialog.close} autofocus>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/**
 * A button (`children` its text) that asks in a {@link ConfirmDialog} first; on `verb` runs `act`,
 * then `done`. The server's refusal is shown next to the button.
 */
export function ConfirmButton({
  id,
  title,
  text,
  verb,
  busyVerb,
  act,
  done,
  children,
}: {
  id: string;
  title: string;
  text: string;
  verb: string;
  busyVerb?: string;
  act: () => Promise<unknown>;
  done: () => void;
  children: ComponentChildren;
}) {
  const dialog = useDialog();
  const { busy, error, run } = useAction();
  return (
    <>
      <button type="button" class="danger" onClick={dialog.open} disabled={busy}>
        {children}
      </button>
      <ConfirmDialog dialog={dialog} id={id} title={title} text={text} verb={verb} busyVerb={busyVerb} busy={busy} onConfirm={() => run(closingAfter(dialog, act, done))} />
      <ErrorBox error={error} />
    </>
  );
}
