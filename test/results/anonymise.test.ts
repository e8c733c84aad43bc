import { expect } from 'chai';
import { isPersonalUrl, personalDataIn, preparePersonalTerms } from '../../src/results/anonymise.ts';
import { companyBand } from '../../src/results/company-band.ts';
import { fold } from '../../src/results/fold.ts';
import { formatPeriod, periodOf } from '../../src/results/period.ts';

/** The anonymisation rules one by one, without a server: what is refused, and what must stay publishable. */
describe('results: the anonymisation check', () => {
  const terms = preparePersonalTerms(['Jürgen Müller', 'Bäckerei Müller GmbH', 'Sabine Groß', 'info@mueller.de'], ['Bäckerei', 'Datenschutz']);
  const words = (text: string) => personalDataIn(text, terms).map((f) => `${f.kind}:${f.word}`);

  it('folds case, ß, accents and the ae/oe/ue spellings onto one form', () => {
    expect(['Müller', 'Mueller', 'MÜLLER', 'muller', 'Müller'.normalize('NFD')].map(fold)).to.deep.equal(Array(5).fill('muller'));
    expect(fold('Groß')).to.equal(fold('GROSS'));
  });

  it('refuses names in any spelling and whole words only', () => {
    expect(words('jurgen muller war da')).to.deep.equal(['term:Jürgen Müller']);
    expect(words('Frau GROSS erklärte es')).to.deep.equal(['term:Groß']);
    expect(words('Müllerstraße und Müllabfuhr')).to.deep.equal([]);
    expect(words('Die Bäckerei war dabei')).to.deep.equal([]);
    expect(words('Bäckerei Müller GmbH')).to.deep.equal(['term:Bäckerei Müller GmbH']);
  });

  it('refuses e-mail addresses, mentions and phone numbers, not dates, years or counts', () => {
    expect(words('Mail an a.b@example.org.')).to.deep.equal(['email:a.b@example.org']);
    expect(words('Danke @team!')).to.deep.equal(['mention:@team']);
    expect(words('Danke @sabine!')).to.deep.equal(['mention:@sabine', 'term:Sabine']);
    expect(words('Ruf an: 0049 681 998877')).to.deep.equal(['phone:0049 681 998877']);
    expect(words('(0681) 12 34 56')).to.deep.equal(['phone:(0681) 12 34 56']);
    expect(words('Am 01.03.2026 mit 12 Leuten, 2025–2026, 4 Termine, 10.000 Euro')).to.deep.equal([]);
  });

  it('refuses links to people, keeps other links', () => {
    expect(isPersonalUrl('https://www.xing.com/profile/Anna_Beispiel')).to.equal(true);
    expect(isPersonalUrl('https://de.linkedin.com/company/firma')).to.equal(true);
    expect(isPersonalUrl('https://example.org/~anna/')).to.equal(true);
    expect(isPersonalUrl('https://www.bsi.bund.de/DE/Themen/Unternehmen/index.html')).to.equal(false);
    expect(words('Mehr auf www.offensive-mittelstand.de/themen.')).to.deep.equal([]);
  });

  it('shows small company counts only as a band, and periods without dates', () => {
    expect([1, 2, 3, 5, 6, 10, 11, 20, 21].map(companyBand)).to.deep.equal(['1-2', '1-2', '3-5', '3-5', '6-10', '6-10', '11-20', '11-20', '21+']);
    const from = new Date('2026-03-10T09:00:00Z');
    const until = new Date('2026-05-20T09:00:00Z');
    expect(periodOf(from, until, 'year')).to.deep.equal({ from: '2026', until: '2026' });
    expect(periodOf(from, until, 'month')).to.deep.equal({ from: '2026-03', until: '2026-05' });
    expect(formatPeriod('2026-03', '2026-05', 'de')).to.equal('März–Mai 2026');
    expect(formatPeriod('2025-11', '2026-02', 'en')).to.equal('November 2025 – February 2026');
    expect(formatPeriod('2025', '2026', 'de')).to.equal('2025–2026');
  });
});
