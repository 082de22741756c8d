import type { InventoryPackage, SoftwareSection } from '@bascule/protocol';
import SearchIcon from '@mui/icons-material/Search';
import {
  Box,
  Chip,
  InputAdornment,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import { useMemo, useState } from 'react';
import { useTranslate } from 'react-admin';
import { useFormat } from '../../format/use-format.js';
import { InventorySection } from './inventory-section.js';
import { UpdatesSummary } from './updates-summary.js';

const k = (key: string) => `bascule.inventory.software.${key}`;
const SOURCES = ['dpkg', 'snap', 'flatpak'] as const;
type Source = (typeof SOURCES)[number];

/** A package matches a search on its name, version or origin (publisher, maintainer, remote). */
function matches(p: InventoryPackage, q: string): boolean {
  return [p.name, p.version, p.origin ?? ''].some((field) => field.toLocaleLowerCase().includes(q));
}

/**
 * The device's packages, searched and paged in the browser: the inventory endpoint returns the
 * whole section (a few thousand rows at most), so this is lookup, not fleet aggregation.
 */
function PackageTable({ packages }: { packages: InventoryPackage[] }) {
  const translate = useTranslate();
  const format = useFormat();
  const [query, setQuery] = useState('');
  const [source, setSource] = useState<Source | 'all'>('all');
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(50);

  const bySource = useMemo(() => {
    const counts: Record<Source, number> = { dpkg: 0, snap: 0, flatpak: 0 };
    for (const p of packages) counts[p.source] += 1;
    return counts;
  }, [packages]);

  const filtered = useMemo(() => {
    const q = query.trim().toLocaleLowerCase();
    return packages
      .filter((p) => (source === 'all' || p.source === source) && (!q || matches(p, q)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [packages, query, source]);

  const visible = filtered.slice(page * rowsPerPage, (page + 1) * rowsPerPage);

  return (
    <>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 2, mb: 2 }}>
        <Typography variant="subtitle1" component="p" sx={{ fontWeight: 600 }} data-testid="package-count">
          {translate(k('count'), { smart_count: packages.length, count: format.number(packages.length, 0) })}
        </Typography>
        <Box sx={{ display: 'flex', gap: 1 }}>
          {SOURCES.filter((s) => bySource[s] > 0).map((s) => (
            <Chip key={s} size="small" variant="outlined" label={`${s} · ${format.number(bySource[s], 0)}`} />
          ))}
        </Box>
      </Box>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, mb: 1 }}>
        <TextField
          size="small"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setPage(0);
          }}
          placeholder={translate(k('search'))}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
            htmlInput: { 'aria-label': translate(k('search')) },
          }}
          sx={{ minWidth: 280 }}
        />
        <ToggleButtonGroup
          size="small"
          exclusive
          value={source}
          onChange={(_, v: Source | 'all' | null) => {
            if (v) {
              setSource(v);
              setPage(0);
            }
          }}
        >
          <ToggleButton value="all">{translate(k('all_sources'))}</ToggleButton>
          {SOURCES.map((s) => (
            <ToggleButton key={s} value={s} disabled={bySource[s] === 0}>
              {s}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      {filtered.length === 0 ? (
        <Typography variant="body2" color="text.secondary" sx={{ py: 2 }}>
          {translate(k('no_match'), { query })}
        </Typography>
      ) : (
        <>
          <TableContainer>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell sx={{ fontWeight: 600 }}>{translate(k('name'))}</TableCell>
                  <TableCell sx={{ fontWeight: 600 }}>{translate(k('version'))}</TableCell>
                  <TableCell sx={{ fontWeight: 600 }}>{translate(k('source'))}</TableCell>
                  <TableCell sx={{ fontWeight: 600 }}>{translate(k('arch'))}</TableCell>
                  <TableCell sx={{ fontWeight: 600 }}>{translate(k('origin'))}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody data-testid="package-rows">
                {visible.map((p) => (
                  <TableRow key={`${p.source}:${p.name}:${p.arch ?? ''}`}>
                    <TableCell sx={{ fontWeight: 500 }}>{p.name}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem', overflowWrap: 'anywhere' }}>
                      {p.version}
                    </TableCell>
                    <TableCell>{p.source}</TableCell>
                    <TableCell>{p.arch ?? '—'}</TableCell>
                    <TableCell sx={{ overflowWrap: 'anywhere' }}>{p.origin ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
          <TablePagination
            component="div"
            count={filtered.length}
            page={page}
            onPageChange={(_, p) => setPage(p)}
            rowsPerPage={rowsPerPage}
            rowsPerPageOptions={[25, 50, 100, 250]}
            onRowsPerPageChange={(e) => {
              setRowsPerPage(Number(e.target.value));
              setPage(0);
            }}
            labelRowsPerPage={translate(k('rows_per_page'))}
            labelDisplayedRows={({ from, to, count }) =>
              translate(k('range'), {
                from: format.number(from, 0),
                to: format.number(to, 0),
                count: format.number(count, 0),
              })
            }
          />
        </>
      )}
    </>
  );
}

export function SoftwareTab() {
  return (
    <InventorySection<SoftwareSection> name="software">
      {(sw) => (
        <>
          <UpdatesSummary software={sw} />
          <PackageTable packages={sw.packages} />
        </>
      )}
    </InventorySection>
  );
}
