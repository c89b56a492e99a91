/**
 * Safe templates: text with `{{name}}` placeholders and nothing else. No
 * expressions, filters, loops or code: a placeholder names one value, and the
 * value is inserted as literal text. Pure module, no I/O.
 */

export type TemplateValue = string | number | boolean | null;
export type TemplateValues = Readonly<Record<string, TemplateValue>>;

/** Letters, digits, "_" and "." only. */
const NAME = /^[A-Za-z0-9_.]+$/;

/** `{{name}}`, spaces allowed inside the braces. Only valid names are placeholders. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** Anything between double braces, to find what looks like a placeholder but is not one. */
const BRACED = /\{\{([\s\S]*?)\}\}/g;

export interface RenderedText {
  text: string;
  /** Placeholders with no value: rendered as empty text, reported so a template author can fix them. */
  unknown: string[];
}

function textOf(value: TemplateValue | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

/**
 * Fills every placeholder in ONE left-to-right pass. A value is inserted as
 * it is and never scanned again, so a value that itself contains `{{secret}}`
 * stays that text. Values are looked up as own properties only: `{{constructor}}`
 * or `{{__proto__}}` are unknown names, not the object's internals. The
 * replacement is a function, so `$&`, `$1` and the like in values are literal.
 */
export function renderTemplate(template: string, values: TemplateValues): RenderedText {
  const unknown = new Set<string>();
  const text = template.replace(PLACEHOLDER, (_match: string, name: string) => {
    if (!Object.hasOwn(values, name)) {
      unknown.add(name);
      return '';
    }
    return textOf(values[name]);
  });
  return { text, unknown: [...unknown] };
}

export interface TemplateCheck {
  /** Names used by the template, in order of first use. */
  placeholders: string[];
  /** What makes the template unusable; empty when it is fine. */
  problems: string[];
}

/**
 * Checks a template before it is stored: every `{{...}}` must be a placeholder
 * whose name uses only [a-zA-Z0-9_.], and no `{{` or `}}` may be left unpaired.
 */
export function checkTemplate(template: string): TemplateCheck {
  const placeholders = new Set<string>();
  const problems: string[] = [];
  for (const match of template.matchAll(BRACED)) {
    const name = (match[1] ?? '').trim();
    if (NAME.test(name)) placeholders.add(name);
    else problems.push(`"${match[0]}" is not a placeholder: names use only letters, digits, "_" and "."`);
  }
  const rest = template.replace(BRACED, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('"{{" and "}}" must come in pairs around a placeholder name');
  return { placeholders: [...placeholders], problems };
}
