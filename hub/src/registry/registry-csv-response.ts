import type { Response } from 'express';
import { ApiError } from '../http/http-errors.js';
import { toExcelCsv } from './registry-csv.js';

/** `?format=csv` or JSON (the default); anything else is refused. */
export function wantsCsv(format: unknown): boolean {
  if (format === undefined || format === '' || format === 'json') return false;
  if (format === 'csv') return true;
  throw ApiError.badRequest('format must be csv or json');
}

/** Sends a table as a CSV download for French Excel (UTF-8 with BOM, `;`: registry-csv.ts). */
export function sendCsv(
  res: Response,
  name: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return toExcelCsv(header, rows);
}
