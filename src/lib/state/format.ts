/** How an attribute reads on a chip: a bare number ("3") says nothing without its name ("pair 3"). */
export function attributeChipText(name: string, value: string): string {
  return /^\d+$/.test(value) ? `${name} ${value}` : value;
}
