import writeXlsxFile from 'write-excel-file/node';
import type { SheetData } from 'write-excel-file/node';
import { toExcelCsv } from '../qualification/csv.ts';
import { cellText, type Table } from './tables.ts';

/** The table as Excel-friendly CSV (UTF-8 with BOM, ';', formula-like values defused): the house's CSV. */
export function tableToCsv(table: Table): string {
  return toExcelCsv([table.headers, ...table.rows.map((r) => r.map((c) => String(cellText(c) ?? '')))]);
}

/** The table as an XLSX workbook of one sheet (write-excel-file), numbers kept as numbers, headers bold. */
export async function tableToXlsx(table: Table): Promise<Buffer> {
  const data: SheetData = [
    table.headers.map((h) => ({ value: h, fontWeight: 'bold' as const })),
    ...table.rows.map((r) =>
      r.map((c) => {
        const v = cellText(c);
        if (v === null || v === '') return null;
        return typeof v === 'number' ? { value: v, type: Number } : { value: v, type: String };
      }),
    ),
  ];
  // a sheet name is at most 31 characters and without []:*?/\
  const sheet = table.caption.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
  return writeXlsxFile(data, { sheet, columns: table.headers.map((h) => ({ width: Math.min(60, Math.max(12, h.length + 2)) })) }).toBuffer();
}
