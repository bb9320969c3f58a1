/**
 * Mentions made inert in text posted to Mattermost and Discord. Replies quote text from logs, job
 * records and users; `@channel`, `@here`, `@all`, `@everyone`, `@user`, Discord's `<@id>`, `<@!id>`
 * and `<@&role>` there must not ping anyone. A zero-width space after the `@` keeps the text readable
 * and stops the platform from seeing a mention. E-mail addresses (`user@cern.ch`) and `@` inside
 * URL paths are left alone. The bot's own replies never mention anyone on purpose.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/(^|[^\w@/\u200b])@(?=[\w.&!-])/g, '$1@\u200b');
}
