import type { ColumnRole } from '../../lib/import/types';

/** The uses a column can have, as the preview names them. */
export const ROLES: { value: ColumnRole; label: string }[] = [
  { value: 'question', label: 'Open question' },
  { value: 'attribute', label: 'Respondent attribute' },
  { value: 'id', label: 'Respondent ID' },
  { value: 'wave', label: 'Wave' },
  { value: 'ignore', label: 'Ignore' },
];

export function roleLabel(role: ColumnRole): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}
