/** What an attribute is called on screen: the label its column had in the file ("Gender"), else its name ("Q1"). */
export function attributeLabel(attribute: { name: string; label?: string }): string {
  return attribute.label || attribute.name;
}
