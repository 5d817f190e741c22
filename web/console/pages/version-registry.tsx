/**
 * A version's registry actions on its page: point an alias at it, move its stage, delete one of its
 * aliases, delete the version. Deletes ask first in a modal dialog (delete-button.tsx) and show the
 * server's refusal next to the button, e.g. CONFLICT for a version an alias still points at.
 */
import { useState } from 'preact/hooks';
import { gql } from '../api';
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

/** Aliases and stage of a version, and its deletion. */
export function Registry({ v, reload }: { v: Version; reload: () => void }) {
  const [alias, setAlias] = useState('production');
  const [stage, setStage] = useState(v.stage);
  const { error, run: act } = useAction();
  const run = (p: () => Promise<unknown>) => act(async () => (await p(), reload()));
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
          if (!confirm(`Point alias '${alias}' of ${v.modelName} at v${v.version}? Calls that use it are served by this version from now on.`)) return;
          void run(() => gql(ConsoleSetAliasDocument, { model: v.modelName, alias, version: v.version }));
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
          if (stage === 'PRODUCTION' && !confirm(`Move ${v.modelName} v${v.version} to PRODUCTION?`)) return;
          void run(() => gql(ConsoleStageDocument, { versionId: v.id, stage }));
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
