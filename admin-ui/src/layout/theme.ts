import { defaultTheme, type RaThemeOptions } from 'react-admin';

/**
 * react-admin's default theme in the French State's blue (#000091, "bleu France"), which public
 * staff recognise; green/grey chips carry online/offline.
 */
export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    primary: { main: '#000091' },
    secondary: { main: '#1212ff' },
    background: { default: '#f6f6f6' },
  },
  typography: {
    fontFamily: ['"Marianne"', 'system-ui', '-apple-system', '"Segoe UI"', 'Roboto', '"Noto Sans"', 'sans-serif'].join(
      ',',
    ),
  },
  components: {
    ...defaultTheme.components,
    RaAppBar: { styleOverrides: { root: { '& .RaAppBar-toolbar': { backgroundColor: '#000091' } } } },
  },
};
