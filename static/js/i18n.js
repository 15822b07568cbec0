// The scripts' words in the page's language. base.html loads Django's JavaScript catalog
// (a classic script, so it has run before any module) and it defines `django`; these
// wrappers read it at call time and fall back to the English msgid if the catalog did not
// load, so a page never shows a blank. `makemessages -d djangojs` finds the strings
// because every module calls these by their Django names: gettext("…"), ngettext(…).

function catalog() {
  return globalThis.django || null;
}

/** A sentence in the reader's language. */
export function gettext(msgid) {
  const django = catalog();
  return django && django.gettext ? django.gettext(msgid) : msgid;
}

/** A sentence that depends on a count ("1 minute" / "3 minutes"). */
export function ngettext(singular, plural, count) {
  const django = catalog();
  if (django && django.ngettext) return django.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

/** A word whose translation depends on where it stands (a button, a heading). */
export function pgettext(context, msgid) {
  const django = catalog();
  return django && django.pgettext ? django.pgettext(context, msgid) : msgid;
}

/**
 * Fill named placeholders: interpolate("%(name)s asked for a pause", {name: "Sam"}).
 * Named only, so a translator can move them; a missing value is left visible, not "undefined".
 */
export function interpolate(format, values) {
  return String(format).replace(/%\((\w+)\)s/g, (whole, key) =>
    values && Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
}
