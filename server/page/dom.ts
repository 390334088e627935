/**
 * Building the page's elements. Everything a token or a server sends is put in
 * as text (textContent), never parsed as HTML, so a claim like
 * "<script>…</script>" is shown, not run.
 */

type Child = Node | string;

export function el(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** "14 min", "3 h", "2 days", "3 years": a duration in words, rounded down (the same words as the CLI's). */
export function humanDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.floor(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  if (s < 2 * 365 * 86400) return `${Math.floor(s / 86400)} days`;
  return `${Math.floor(s / (365.25 * 86400))} years`;
}
