// DOMAIN.md §6: `/<object>/<action>.<format>`, format `json` or `xml`.

export type Format = 'json' | 'xml';

export type ParsedPath =
  | { readonly ok: true; readonly format: Format; readonly name: string }
  /** 1: the ending is not .json or .xml (the answer is then JSON). */
  | { readonly ok: false; readonly failure: 'MissingOrInvalidFormat' }
  /** 16: a format, but no `<object>/<action>` (checked after authentication). */
  | { readonly ok: true; readonly format: Format; readonly name: undefined };

const segment = /^[a-z][a-z0-9_]*$/;

export function parsePath(path: string): ParsedPath {
  const dot = path.lastIndexOf('.');
  const ending = dot < 0 ? '' : path.slice(dot + 1);
  if (ending !== 'json' && ending !== 'xml') return { ok: false, failure: 'MissingOrInvalidFormat' };
  const parts = path.slice(0, dot).split('/');
  // ['', object, action]: anything else (`/item.json`, `/item/.json`, deeper paths) names no action.
  const [root, object, action] = parts;
  const named =
    parts.length === 3 && root === '' && segment.test(object ?? '') && segment.test(action ?? '')
      ? `${object}.${action}`
      : undefined;
  return { ok: true, format: ending, name: named };
}
