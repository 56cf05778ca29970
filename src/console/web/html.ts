/** Text made safe to put into HTML (names from the rig file, camera answers, messages). */
export const esc = (text: unknown): string => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
