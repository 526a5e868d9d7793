import type { Outcome } from '@camledger/client';
import { type Prediction, ReferenceModel } from '@camledger/testing/model';
import { accounts, balances, folders, type HistoryEvent, items } from '../support/history.ts';
import type { Planned } from './plan.ts';

// The verdict on a chaos run, from three sources that do not share code with
// the workers: what the clients were told, the history read straight from
// the store, and the reference model of the model-based test (written from
// the contract). Each finding is a sentence naming the command; every list
// must end up empty.

export interface Findings {
  /** Events no command of the run asked for. */
  readonly orphans: string[];
  /** A command (or one of its follow-ups) whose events were appended more than once. */
  readonly appliedTwice: string[];
  /** A rejected command that left events behind. */
  readonly rejectedWithEffect: string[];
  /** An accepted reply that does not match the history (its append missing, elsewhere, or extra). */
  readonly replyDisagrees: string[];
  /** An applied command the model, at its place in the log, would have refused. */
  readonly modelRefuses: string[];
  /** State folded from history that differs from the model's. */
  readonly stateDiffers: string[];
  /** Accounts whose balance went below 0 at some point of history. */
  readonly negativeCredits: string[];
  /** An id in more than one user's folder tree, or in one user's tree and claimed by another. */
  readonly twoOwners: string[];
  /** A claim (or creator tag) written before a write (metadata `reservedFor`) that is not one per command and stream (per user), by its actor, for the actor (for the user a registration registers). */
  readonly claimsAmiss: string[];
}

const correlationOf = (e: HistoryEvent) => String(e.metadata.correlationId ?? e.metadata.commandId);
const show = (c: Planned) => `${c.name} ${c.id} by ${c.actor} ${JSON.stringify(c.payload)}`;
const successful = (p: Prediction) => p.codes.filter((code) => code >= 10000);

function predict(model: ReferenceModel, c: Planned): Prediction {
  const s = (key: string) => String(c.payload[key]);
  const n = (key: string) => Number(c.payload[key]);
  // The worker's rule before any command's own: a user command by someone not registered is 8.
  if (c.actor !== 'system' && !model.users.has(c.actor)) return { codes: [8] };
  const parent = (key: string) => (c.payload[key] === 0 || c.payload[key] === '0' ? null : s(key));
  switch (c.name) {
    case 'account.register':
      return model.register(s('user_id'), s('username'));
    case 'account.add_credits':
      return model.addCredits(s('user_id'), n('credits'));
    case 'camera.register':
      return model.registerCamera(s('camera_id'), s('owner_id'), n('live_view_capable') === 1);
    case 'camera.liveview_connected':
      return model.liveViewLink(s('camera_id'), true);
    case 'camera.start_liveview':
      return model.startLiveView(c.actor, s('camera_id'));
    case 'folder.create':
      return model.createFolder(
        c.actor,
        c.payload.folder_id === undefined ? undefined : s('folder_id'),
        s('name'),
        parent('parent_id'),
      );
    case 'folder.rename':
      return model.renameFolder(c.actor, s('folder_id'), s('name'));
    case 'folder.move':
      return model.moveFolder(c.actor, s('folder_id'), parent('parent_id'));
    case 'item.record':
      return model.record(
        s('item_id'),
        s('camera_id'),
        (c.payload.frames as { identifier: string }[]).map((frame) => frame.identifier),
      );
    case 'item.move':
      return model.moveItem(c.actor, s('item_id'), s('folder_id'));
    case 'item.delete':
      return model.deleteItem(c.actor, s('item_id'));
    case 'item.restore':
      return model.restoreItem(c.actor, s('item_id'));
    default:
      throw new Error(`the chaos plan sent ${c.name}, which the judge cannot predict`);
  }
}

/**
 * What one append looks like: one position in the log, one stream, revisions
 * without a gap. The same command's events at two positions were appended twice.
 */
function isOneAppend(events: readonly HistoryEvent[]): boolean {
  if (new Set(events.map((e) => e.position)).size !== 1) return false;
  if (new Set(events.map((e) => e.stream)).size !== 1) return false;
  const revisions = events.map((e) => e.revision).sort((a, b) => a - b);
  return revisions.every((r, i) => i === 0 || r === (revisions[i - 1] as number) + 1);
}

export function judge(
  commands: readonly Planned[],
  outcomes: ReadonlyMap<string, Outcome | undefined>,
  history: readonly HistoryEvent[],
  retentionMs: number,
): Findings {
  const f: Findings = {
    orphans: [],
    appliedTwice: [],
    rejectedWithEffect: [],
    replyDisagrees: [],
    modelRefuses: [],
    stateDiffers: [],
    negativeCredits: [],
    twoOwners: [],
    claimsAmiss: [],
  };
  const byId = new Map(commands.map((c) => [c.id, c]));
  const effects = new Map<string, HistoryEvent[]>();
  // A claim of a client-chosen id is written before the command's own
  // append and is not its effect: it may outlive an attempt that was then
  // refused (docs/architecture.md, "Claims"), keeping the id for its actor.
  const claimedBy = new Map<string, string>();
  const tagsHeld = new Set<string>();
  for (const e of history) {
    const id = correlationOf(e);
    if (!byId.has(id)) {
      f.orphans.push(`${e.type} at ${e.stream}@${e.revision}, correlation ${id}`);
      continue;
    }
    if (e.metadata.reservedFor !== undefined) {
      const c = byId.get(id) as Planned;
      // A user's creator tag, registered before their first generated folder: once per user.
      const tag = e.type === 'IdTagHeld';
      const holder = String(tag ? e.data.userId : e.data.owner);
      const again = tag ? tagsHeld.has(`${e.stream} ${holder}`) : claimedBy.has(e.stream);
      // A registration (by system) claims the user id it registers, for that user.
      const rightHolder = e.data.kind === 'account' ? String(c.payload.user_id) : c.actor;
      if (again || e.metadata.actor !== c.actor || holder !== rightHolder)
        f.claimsAmiss.push(`${show(c)} claimed ${e.stream}@${e.revision} for ${holder}`);
      if (tag) tagsHeld.add(`${e.stream} ${holder}`);
      else claimedBy.set(e.stream, holder);
      continue;
    }
    effects.set(id, [...(effects.get(id) ?? []), e]);
  }

  // Exactly once, and the replies tell the truth about it.
  for (const c of commands) {
    const events = effects.get(c.id) ?? [];
    const byCommandId = new Map<string, HistoryEvent[]>();
    for (const e of events) {
      const key = String(e.metadata.commandId);
      byCommandId.set(key, [...(byCommandId.get(key) ?? []), e]);
    }
    for (const [commandId, group] of byCommandId)
      if (!isOneAppend(group))
        f.appliedTwice.push(
          `${show(c)}: ${commandId} wrote ${group.map((e) => `${e.type} at ${e.stream}@${e.revision} (position ${e.position})`).join(', ')}`,
        );
    const outcome = outcomes.get(c.id);
    if (outcome === undefined) continue; // unknown: either outcome will do, once
    if (!outcome.ok) {
      if (events.length > 0)
        f.rejectedWithEffect.push(
          `${show(c)} answered ${outcome.code} but wrote ${events.map((e) => e.type)}`,
        );
      continue;
    }
    const own = byCommandId.get(c.id) ?? [];
    if (outcome.stream === undefined) {
      if (own.length > 0)
        f.replyDisagrees.push(
          `${show(c)} answered ${outcome.code} with nothing appended, but wrote ${own.map((e) => e.type)}`,
        );
    } else {
      const last = own.at(-1);
      if (!last || last.stream !== outcome.stream || last.revision !== outcome.revision)
        f.replyDisagrees.push(
          `${show(c)} answered ${outcome.code} at ${outcome.stream}@${outcome.revision}, history has ${last ? `${last.stream}@${last.revision}` : 'nothing'}`,
        );
    }
  }

  // The applied commands, replayed on the model in the order their first events entered the log.
  const applied = commands
    .filter((c) => (effects.get(c.id) ?? []).length > 0)
    .sort((a, b) => (effects.get(a.id)?.[0]?.order as number) - (effects.get(b.id)?.[0]?.order as number));
  const model = new ReferenceModel(Date.parse('2026-01-01T00:00:00.000Z'), retentionMs);
  for (const c of applied) {
    const events = effects.get(c.id) ?? [];
    const at = Date.parse(String(events[0]?.metadata.occurredAt));
    if (at > model.now) model.now = at;
    const prediction = predict(model, c);
    const outcome = outcomes.get(c.id);
    const fits = outcome?.ok ? prediction.codes.includes(outcome.code) : successful(prediction).length > 0;
    if (!fits) {
      f.modelRefuses.push(
        `${show(c)} answered ${outcome?.code ?? 'nothing'}, applied at ${events[0]?.stream}@${events[0]?.revision}; the model says ${prediction.codes}`,
      );
      continue;
    }
    const created = events.find((e) => e.type === 'FolderCreated')?.data.folderId;
    const result = outcome?.ok ? outcome.result : created === undefined ? {} : { folder_id: String(created) };
    prediction.apply?.(result as Record<string, string>);
  }

  // The state history folds to, against the model's.
  const diff = (what: string, real: Map<string, string>, expected: Map<string, string>) => {
    for (const id of new Set([...real.keys(), ...expected.keys()]))
      if (real.get(id) !== expected.get(id))
        f.stateDiffers.push(
          `${what} ${id}: history ${real.get(id) ?? 'none'}, model ${expected.get(id) ?? 'none'}`,
        );
  };
  const opened = accounts(history);
  diff(
    'account',
    new Map([...opened.keys()].map((id) => [id, 'open'])),
    new Map([...model.users.keys()].map((id) => [id, 'open'])),
  );
  const credit = balances(history);
  diff(
    'credits of',
    new Map([...opened.keys()].map((id) => [id, String(credit.get(id)?.balance ?? 0)])),
    new Map([...model.credits].map(([id, n]) => [id, String(n)])),
  );
  for (const [id, b] of credit)
    if (b.lowest < 0) f.negativeCredits.push(`account-${id} went down to ${b.lowest} (now ${b.balance})`);
  const tree = folders(history);
  for (const folder of tree.values())
    if (folder.owners.length > 1) f.twoOwners.push(`${folder.id} created by ${folder.owners.join(' and ')}`);
  for (const folder of tree.values()) {
    const claim = claimedBy.get(`directory-${folder.id}`);
    if (claim !== undefined && !folder.owners.every((owner) => owner === claim))
      f.twoOwners.push(`${folder.id} created by ${folder.owners.join(' and ')}, claimed by ${claim}`);
  }
  diff(
    'folder',
    new Map(
      [...tree.values()]
        .filter((x) => !x.deleted)
        .map((x) => [x.id, `${x.owners.join('+')} "${x.name}" under ${x.parent ?? 'top'}`]),
    ),
    new Map(
      [...model.folders.values()]
        .filter((x) => !x.deleted)
        .map((x) => [x.id, `${x.owner} "${x.name}" under ${x.parent ?? 'top'}`]),
    ),
  );
  diff(
    'item',
    new Map(
      [...items(history).values()].map((x) => [x.id, `${x.owner} ${x.status} in ${x.folder ?? 'inbox'}`]),
    ),
    new Map([...model.items.values()].map((x) => [x.id, `${x.owner} ${x.status} in ${x.folder ?? 'inbox'}`])),
  );
  return f;
}
