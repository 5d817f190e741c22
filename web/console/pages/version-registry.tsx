/**
 * A version's registry actions on its page: point an alias at it, move its stage, delete one of its
 * aliases, delete the version. Pointing an alias, moving to PRODUCTION and the deletes ask first in
 * the same modal dialog (confirm-dialog.tsx, delete-button.tsx) and show the server's refusal next
 * to the button, e.g. CONFLICT for a version an alias still points at.
 */
import { useState } from 'preact/hooks';
import { gql } from '../api';
import { closingAfter, ConfirmDialog, useDialog } from '../confirm-dialog';
import { DeleteButton } from '../delete-button';
import {
  ConsoleDeleteAliasDocument,
  ConsoleDeleteVersionDocument,
  ConsoleSetAliasDocument,
  ConsoleStageDocument,
  type ConsoleVersionQuery,
  type ModelStage,
} from '../generated/graphql';
import { go } from '../router';
import { ErrorBox } from '../ui';
import { useAction } from '../use-action';

type Version = ConsoleVersionQuery['modelVersion'];

/** The version's aliases, each with its delete button. */
function Aliases({ v, reload }: { v: Version; reload: () => void }) {
  if (!v.aliases.length) return null;
  return (
    <ul class="aliases" aria-label="Aliases of this version">
      {v.aliases.map((alias, i) => (
        <li key={alias}>
          <code>{alias}</code>
          <DeleteButton
            id={`delete-alias-${i}`}
            what={`alias ${alias}`}
            consequence={`Calls to ${v.modelName} that name alias '${alias}' get NOT_FOUND; version ${v.version} itself stays.`}
            undo="Pointing the alias at a version again brings it back."
            remove={() => gql(ConsoleDeleteAliasDocument, { model: v.modelName, alias })}
            done={reload}
          />
        </li>
      ))}
    </ul>
  );
}

/** What a registry move does, asked in a dialog before it is sent. */
interface Move {
  title: string;
  text: string;
  verb: string;
  send: () => Promise<unknown>;
}

/** Aliases and stage of a version, and its deletion. */
export function Registry({ v, reload }: { v: Version; reload: () => void }) {
  const [alias, setAlias] = useState('production');
  const [stage, setStage] = useState(v.stage);
  const [move, setMove] = useState<Move | null>(null);
  const dialog = useDialog();
  const { busy, error, run } = useAction();
  const ask = (m: Move) => {
    setMove(m);
    dialog.open();
  };
  const confirm = () => run(closingAfter(dialog, move!.send, reload));
  return (
    <section aria-labelledby="registry">
      <h2 id="registry">Aliases and stage</h2>
      <p>
        Stage <strong>{v.stage}</strong>; aliases: {v.aliases.length ? v.aliases.join(', ') : 'none'}.
      </p>
      <Aliases v={v} reload={reload} />
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          // Calls that name the alias are served by this version at once: confirm first.
          ask({
            title: `Point alias ${alias} of ${v.modelName} at v${v.version}?`,
            text: `Calls that use alias '${alias}' are served by this version from now on.`,
            verb: 'Point alias',
            send: () => gql(ConsoleSetAliasDocument, { model: v.modelName, alias, version: v.version }),
          });
        }}
      >
        <label for="alias">Alias</label>
        <input id="alias" value={alias} onInput={(e) => setAlias(e.currentTarget.value)} />
        <button type="submit">Point alias here</button>
      </form>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const send = () => gql(ConsoleStageDocument, { versionId: v.id, stage });
          if (stage !== 'PRODUCTION') return void run(async () => (await send(), reload()));
          ask({
            title: `Move ${v.modelName} v${v.version} to PRODUCTION?`,
            text: 'Calls that ask for the PRODUCTION stage are served by this version from now on.',
            verb: 'Move to PRODUCTION',
            send,
          });
        }}
      >
        <label for="stage">Stage</label>
        <select id="stage" value={stage} onChange={(e) => setStage(e.currentTarget.value as ModelStage)}>
          {['NONE', 'STAGING', 'PRODUCTION', 'ARCHIVED'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <button type="submit">Move stage</button>
      </form>
      <ConfirmDialog
        dialog={dialog}
        id="registry-move"
        title={move?.title ?? ''}
        text={move?.text ?? ''}
        verb={move?.verb ?? 'OK'}
        busy={busy}
        danger={false}
        onConfirm={confirm}
      />
      <ErrorBox error={error} />
      <DeleteButton
        id="delete-version"
        what={`version ${v.modelName} v${v.version}`}
        consequence={`Its artifact is deleted; the model's other versions and the training run stay. Refused while an alias points at it.`}
        remove={() => gql(ConsoleDeleteVersionDocument, { model: v.modelName, version: v.version })}
        done={() => go('models')}
      />
    </section>
  );
}
