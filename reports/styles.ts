/**
 * Outturn's own few style rules, served as `/assets/outturn.css` beside govuk-frontend's.
 *
 * A file rather than a `<style>` element so a strict Content-Security-Policy (no inline styles)
 * can be set by the web app. The print rules are here because contract managers print the
 * quarterly review as a pack: navigation and footer are no use on paper, and a table or chart
 * cut in half across two sheets is hard to read.
 */
export const outturnCss = `
.outturn-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 20px; margin: 0 0 30px; }
.outturn-figure { border-top: 5px solid #1d70b8; background: #f3f2f1; padding: 15px; margin: 0; }
.outturn-figure__label { margin: 0 0 5px; font-weight: 700; }
.outturn-figure__value { margin: 0 0 5px; font-size: 2.25rem; line-height: 1.1; font-weight: 700; }
.outturn-figure__detail { margin: 0 0 5px; }
.outturn-chart { margin: 0 0 30px; }
.outturn-chart__image svg { display: block; max-width: 100%; height: auto; }
.outturn-chart__scroll { overflow-x: auto; position: relative; }
.outturn-chart__scroll:focus { outline: 3px solid #ffdd00; }
@media (max-width: 40.0525em) {
  /* Below the tablet breakpoint a chart keeps its text at least 12px by scrolling sideways in its own container rather than shrinking. */
  .outturn-chart__image svg { min-width: 560px; }
}
.outturn-downloads { margin-top: -15px; }
.outturn-sign-out { margin: 10px 0; }
.outturn-table-wrapper { overflow-x: auto; margin-bottom: 20px; position: relative; }
/* position: relative keeps govuk-visually-hidden text (absolutely positioned) inside the scrolling box; without it the page widens. */
.outturn-table-wrapper .govuk-table { margin-bottom: 15px; }
.outturn-table-wrapper:focus { outline: 3px solid #ffdd00; outline-offset: 0; }

@media print {
  .govuk-skip-link, .govuk-service-navigation, .govuk-phase-banner, .govuk-footer, .outturn-downloads, .outturn-sign-out { display: none !important; }
  .outturn-table-wrapper { overflow: visible; }
  .govuk-width-container { max-width: none; margin: 0; }
  .govuk-main-wrapper { padding: 0; }
  a[href] { color: #0b0c0c; text-decoration: none; }
  table, figure, .outturn-figure { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .outturn-figure { border: 1px solid #505a5f; border-top-width: 5px; background: none; }
  /* The review pack on paper: no page tint, no forms or pickers, no heading left at a sheet's foot. */
  .govuk-template, .govuk-template__body, .govuk-width-container, .govuk-main-wrapper { background: #fff !important; }
  .outturn-no-print, .govuk-back-link { display: none !important; }
  .govuk-caption-l, h4 { break-after: avoid; page-break-after: avoid; }
  .outturn-review-section h2 + p { break-before: avoid; page-break-before: avoid; }
}
`.trimStart();
