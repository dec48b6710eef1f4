/** `<group>_<Name>`: a lower-case group prefix, an underscore, a name starting with a letter. */
export const LABEL_NAME_PATTERN = /^([a-z][a-z0-9]{0,19})_([A-Za-z][A-Za-z0-9_]{0,99})$/;
export const LABEL_NAME_MAX_LENGTH = 121;

/** What a malformed label name is told; shared by parseLabelName and labelNameSchema. */
export const LABEL_NAME_RULE = 'must look like <group>_<Name>, e.g. san_SearchTerm';

export type ParsedLabelName = { ok: true; group: string; name: string } | { ok: false; reason: string };

export function parseLabelName(label: string): ParsedLabelName {
  if (label.length > LABEL_NAME_MAX_LENGTH)
    return { ok: false, reason: `must be at most ${LABEL_NAME_MAX_LENGTH} characters` };
  const match = LABEL_NAME_PATTERN.exec(label);
  if (match === null) return { ok: false, reason: LABEL_NAME_RULE };
  return { ok: true, group: match[1]!, name: match[2]! };
}
