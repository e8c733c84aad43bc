import writeXlsxFile from 'write-excel-file/node';
import type { SheetData } from 'write-excel-file/node';
import { toExcelCsv } from '../qualification/csv.ts';

type Table = { headers: string[]; rows: Array<Array<string | number>> };

/** Excel-friendly CSV (UTF-8 with BOM, ';', formula-like values defused): the house's CSV. */
export const csvOf = (table: Table): string => toExcelCsv([table.headers, ...table.rows.map((r) => r.map(String))]);

/** One sheet, headers bold, numbers kept as numbers. */
export async function xlsxOf(table: Table, sheet: string): Promise<Buffer> {
  const data: SheetData = [
    table.headers.map((h) => ({ value: h, fontWeight: 'bold' as const })),
    ...table.rows.map((r) => r.map((v) => (typeof v === 'number' ? { value: v, type: Number } : v ? { value: v, type: String } : null))),
  ];
  return writeXlsxFile(data, { sheet, columns: table.headers.map((h) => ({ width: Math.min(60, Math.max(12, h.length + 2)) })) }).toBuffer();
}
