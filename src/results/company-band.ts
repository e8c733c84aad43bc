/**
 * How many companies took part, as a band: a small exact count ("2 Betriebe aus Lübeck") can name
 * them. The smallest band is "fewer than 3".
 */
export const COMPANY_BANDS = ['1-2', '3-5', '6-10', '11-20', '21+'] as const;
export type CompanyBand = (typeof COMPANY_BANDS)[number];

export function companyBand(count: number): CompanyBand {
  if (count <= 2) return '1-2';
  if (count <= 5) return '3-5';
  if (count <= 10) return '6-10';
  if (count <= 20) return '11-20';
  return '21+';
}
