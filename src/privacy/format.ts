/** Dates on the privacy pages, in German time whatever the server's zone. */
export const formatDate = (d: Date | null | undefined) =>
  d ? new Date(d).toLocaleDateString('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric' }) : '';
export const formatDateTime = (d: Date | null | undefined) =>
  d
    ? new Date(d).toLocaleString('de-DE', { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' })
    : '';
export const viewHelpers = { formatDate, formatDateTime };
