import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import frenchMessages from 'ra-language-french';
import type { TranslationMessages } from 'react-admin';
import { en } from './en.js';
import { fr } from './fr.js';

/** UI locales, French first: it is the default, English is one click away in the app bar. */
export const LOCALES = [
  { locale: 'fr', name: 'Français' },
  { locale: 'en', name: 'English' },
] as const;

export type UiLocale = (typeof LOCALES)[number]['locale'];

// ra-language-* only hold the `ra` key; ours hold `resources` and `bascule`: a shallow merge is enough.
const catalogs: Record<UiLocale, TranslationMessages> = {
  fr: { ...frenchMessages, ...fr },
  en: { ...englishMessages, ...en },
};

export const i18nProvider = polyglotI18nProvider((locale) => catalogs[locale === 'en' ? 'en' : 'fr'], 'fr', [
  ...LOCALES,
]);
