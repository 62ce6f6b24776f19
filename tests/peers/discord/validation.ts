/**
 * The subset of Discord's message validation a card can trip over: lengths and counts of
 * content, embeds and components. Errors come back as Discord's `50035 Invalid Form Body`
 * (or `50006` for an empty message) so discord.js throws the `DiscordAPIError` it would throw
 * in production.
 */
import { ComponentType, RESTJSONErrorCodes } from 'discord-api-types/v10';

/** Discord's JSON error body. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: Record<string, unknown>;
}

type Json = Record<string, unknown>;
interface FieldError {
  path: Array<string | number>;
  code: string;
  message: string;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function maxLength(errors: FieldError[], path: FieldError['path'], value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) {
    errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
}

/** Discord takes http(s) links it can parse; a space or newline inside makes it refuse the body. */
function checkUrl(errors: FieldError[], path: FieldError['path'], value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value) || !URL.canParse(value)) {
    errors.push({ path, code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' });
  }
}

function checkEmbeds(errors: FieldError[], embeds: unknown[]): void {
  if (embeds.length > 10) errors.push({ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  let total = 0;
  embeds.forEach((raw, i) => {
    if (!isObject(raw)) return;
    const at = (...rest: Array<string | number>) => ['embeds', i, ...rest];
    maxLength(errors, at('title'), raw.title, 256);
    maxLength(errors, at('description'), raw.description, 4096);
    const footer = isObject(raw.footer) ? raw.footer : {};
    const author = isObject(raw.author) ? raw.author : {};
    maxLength(errors, at('footer', 'text'), footer.text, 2048);
    maxLength(errors, at('author', 'name'), author.name, 256);
    checkUrl(errors, at('url'), raw.url);
    checkUrl(errors, at('author', 'url'), author.url);
    total += text(raw.title).length + text(raw.description).length + text(footer.text).length + text(author.name).length;
    const fields = Array.isArray(raw.fields) ? raw.fields : [];
    if (fields.length > 25) errors.push({ path: at('fields'), code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    fields.forEach((field: unknown, j) => {
      if (!isObject(field)) return;
      maxLength(errors, at('fields', j, 'name'), field.name, 256);
      maxLength(errors, at('fields', j, 'value'), field.value, 1024);
      total += text(field.name).length + text(field.value).length;
    });
  });
  if (total > 6000) errors.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
}

function checkComponents(errors: FieldError[], rows: unknown[]): void {
  if (rows.length > 5) errors.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!isObject(row) || row.type !== ComponentType.ActionRow || !Array.isArray(row.components)) return;
    if (row.components.length > 5) {
      errors.push({ path: ['components', i, 'components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
    }
    row.components.forEach((component: unknown, j) => {
      if (!isObject(component)) return;
      const at = (key: string) => ['components', i, 'components', j, key];
      maxLength(errors, at('label'), component.label, 80);
      maxLength(errors, at('custom_id'), component.custom_id, 100);
      if (typeof component.custom_id === 'string') {
        if (seen.has(component.custom_id)) {
          errors.push({ path: at('custom_id'), code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
        }
        seen.add(component.custom_id);
      }
    });
  });
}

function nest(errors: FieldError[]): Record<string, unknown> {
  const root: Json = {};
  for (const error of errors) {
    let node = root;
    for (const key of error.path) {
      const next = node[String(key)];
      node = isObject(next) ? next : (node[String(key)] = {});
    }
    const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
    list.push({ code: error.code, message: error.message });
  }
  return root;
}

/**
 * Checks a message create or edit body.
 * @param requireContent - true for creates: a message needs content, an embed, a component or a file.
 * @returns Discord's error body, or undefined when the body is acceptable.
 */
export function validateMessageBody(body: Json, requireContent: boolean, hasFiles = false): DiscordErrorBody | undefined {
  const errors: FieldError[] = [];
  maxLength(errors, ['content'], body.content, 2000);
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  const components = Array.isArray(body.components) ? body.components : [];
  checkEmbeds(errors, embeds);
  checkComponents(errors, components);
  if (errors.length > 0) {
    return { message: 'Invalid Form Body', code: RESTJSONErrorCodes.InvalidFormBodyOrContentType, errors: nest(errors) };
  }
  const empty = text(body.content).length === 0 && embeds.length === 0 && components.length === 0 && !hasFiles && !body.poll && !body.sticker_ids;
  if (requireContent && empty) return { message: 'Cannot send an empty message', code: RESTJSONErrorCodes.CannotSendAnEmptyMessage };
  return undefined;
}
