/**
 * What every statement the platform writes itself shares (attendance, Q&A posts, shared reflections,
 * Experimentierraum dates and results, published summaries): the ADL verbs with their display in
 * both languages, the person as an account on this platform, and the platform in the context.
 */
export const PLATFORM_VERBS = {
  attended: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'de-DE': 'nahm teil an', 'en-US': 'attended' } },
  commented: { id: 'http://adlnet.gov/expapi/verbs/commented', display: { 'de-DE': 'kommentierte', 'en-US': 'commented' } },
  shared: { id: 'http://adlnet.gov/expapi/verbs/shared', display: { 'de-DE': 'teilte', 'en-US': 'shared' } },
} as const;

/** The context fields of every platform statement (xAPI 1.0.3 §2.4.6: platform, language). */
export const PLATFORM_CONTEXT = { platform: 'GeZu Lotse Academy', language: 'de-DE' } as const;

/** A person as an xAPI agent: an account on this platform (the id, no e-mail in the LRS). */
export const learnerAgent = (baseUrl: string, p: { id: string; name: string }) => ({
  objectType: 'Agent',
  name: p.name,
  account: { homePage: baseUrl, name: p.id },
});
