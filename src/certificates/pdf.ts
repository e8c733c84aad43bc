import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { ISSUER_NAME, QUALIFICATION_NAME } from './issuer.ts';
import type { ModuleLine, SessionLine } from './model.ts';
import { DomainError } from '../shared/errors.ts';

/**
 * DejaVu Sans, embedded so umlauts and ß render in every viewer (the PDF standard fonts only know
 * WinAnsi and pdfkit would not embed them). Debian/Ubuntu package: fonts-dejavu-core.
 */
const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
export const FONT_REGULAR = `${FONT_DIR}/DejaVuSans.ttf`;
export const FONT_BOLD = `${FONT_DIR}/DejaVuSans-Bold.ttf`;

export interface CertificatePdfInput {
  holderName: string;
  issuedAt: Date;
  code: string;
  verifyUrl: string;
  modules: ModuleLine[];
  sessions: SessionLine[];
  revokedAt: Date | null;
}

const germanDate = (d: Date) => d.toLocaleDateString('de-DE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Berlin' });
const BLUE = '#1b3a5c';

/** The printable certificate: A4, German, with the code and a QR code to the verification page. */
export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  if (!existsSync(FONT_REGULAR) || !existsSync(FONT_BOLD)) {
    // the server lacks what it needs (logged as ≥ 500 by the error mapper), not the visitor's fault
    throw new DomainError('unavailable', 'certificates:errors.pdfFontMissing', { font: existsSync(FONT_REGULAR) ? FONT_BOLD : FONT_REGULAR });
  }
  const qr = await QRCode.toBuffer(input.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 50, left: 64, right: 64 },
    info: { Title: `Zertifikat ${QUALIFICATION_NAME} – ${input.holderName}`, Author: ISSUER_NAME, Subject: QUALIFICATION_NAME },
    lang: 'de-DE',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;

  doc.rect(0, 0, doc.page.width, 14).fill(BLUE);
  doc.fillColor(BLUE).font('bold').fontSize(11).text(ISSUER_NAME, left, 40, { width });
  doc.moveDown(2.2);
  doc.font('bold').fontSize(30).text('Zertifikat', { align: 'center', width });
  doc.moveDown(0.8);
  doc.fillColor('black').font('regular').fontSize(12).text('Hiermit wird bestätigt, dass', { align: 'center', width });
  doc.moveDown(0.5);
  doc.font('bold').fontSize(22).text(input.holderName, { align: 'center', width });
  doc.moveDown(0.5);
  doc.font('regular').fontSize(12).text('die Qualifizierung', { align: 'center', width });
  doc.moveDown(0.3);
  doc.fillColor(BLUE).font('bold').fontSize(17).text(QUALIFICATION_NAME, { align: 'center', width });
  doc.moveDown(0.3);
  doc
    .fillColor('black')
    .font('regular')
    .fontSize(12)
    .text('im Projekt GeZu 4.0 der Offensive Mittelstand erfolgreich abgeschlossen hat.', { align: 'center', width });
  doc.moveDown(1.4);

  doc.font('bold').fontSize(12).text('Q1 – Online-Module', left, doc.y, { width });
  doc.font('regular').fontSize(10.5);
  for (const m of input.modules) doc.text(`•  ${m.title}${m.score !== undefined ? ` (${m.score} %)` : ''}`, { width, indent: 8 });
  doc.moveDown(0.7);
  doc.font('bold').fontSize(12).text('Q2 – Präsenztermine', { width });
  doc.font('regular').fontSize(10.5);
  for (const s of input.sessions) {
    const when = s.date ? ` am ${s.date.toLocaleDateString('de-DE', { timeZone: 'Europe/Berlin' })}` : '';
    doc.text(`•  ${s.title}${s.sessionTitle ? `: ${s.sessionTitle}` : ''}${when}`, { width, indent: 8 });
  }
  doc.moveDown(0.7);
  doc.text('Beide Zulassungsvoraussetzungen (Autorisierung und Workshop) wurden nachgewiesen.', { width });

  // the footer block sits at a fixed place at the bottom of the page
  const qrSize = 110;
  const footerTop = doc.page.height - doc.page.margins.bottom - qrSize;
  doc.image(qr, left + width - qrSize, footerTop, { width: qrSize, height: qrSize });
  const textWidth = width - qrSize - 20;
  doc
    .font('regular')
    .fontSize(11)
    .fillColor('black')
    .text(`Ausgestellt am ${germanDate(input.issuedAt)}`, left, footerTop, { width: textWidth });
  doc.text(`von ${ISSUER_NAME}`, { width: textWidth });
  doc.moveDown(0.6);
  doc.font('bold').fontSize(11).text('Prüfcode', { width: textWidth });
  doc.font('bold').fontSize(16).fillColor(BLUE).text(input.code, { width: textWidth, characterSpacing: 1 });
  doc.font('regular').fontSize(9).fillColor('black').text(`Echtheit prüfen: ${input.verifyUrl}`, { width: textWidth });

  if (input.revokedAt) {
    doc.save().rotate(-30, { origin: [doc.page.width / 2, doc.page.height / 2] });
    doc
      .font('bold')
      .fontSize(60)
      .fillColor('#b00020')
      .opacity(0.35)
      .text('WIDERRUFEN', 0, doc.page.height / 2 - 40, { width: doc.page.width, align: 'center' });
    doc.restore();
  }
  doc.end();
  return done;
}
