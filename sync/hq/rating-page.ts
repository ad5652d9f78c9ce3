/**
 * The pages of customer ratings: the small page a receipt's QR opens (1 to 5 stars as plain form buttons, no
 * script, Simplified Chinese unless `?lang=en`), and the managers' page of ratings per store, cashier and week
 * with the low ones to follow up.
 */
import type { RatingsReport } from './ratings';

export type RatingLanguage = 'zh-CN' | 'en';

/** The longest comment kept beside the stars (characters); the form says so, and a longer one is cut there. */
export const MAX_COMMENT = 200;

const STYLE = `<style>
body{font:16px system-ui,"WenQuanYi Micro Hei",sans-serif;margin:1.5rem;color:#222;max-width:32rem}
form.stars{display:flex;gap:.4rem;flex-wrap:wrap}form.stars label{flex-basis:100%}form.stars textarea{display:block;width:100%;font:inherit}form.stars button{font-size:1.3rem;padding:.6rem .8rem}
.error{color:#b00020}.thanks{color:#1b5e20}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
th{background:#f3f3f3}.empty{color:#777}
</style>`;

const WORDS = {
  'zh-CN': {
    title: '为本次服务评分',
    prompt: (store: string, staff: string) =>
      `您在 ${store} 的消费${staff === '' ? '' : `（收银员 ${staff}）`}感觉如何？`,
    star: (n: number) => `${'★'.repeat(n)} ${n} 星`,
    comment: '想说的话（可不填）',
    thanks: '谢谢您的评价！',
    given: (n: number) => `这次消费已评过分（${n} 星），每次消费只能评一次。`,
    other: 'English',
    errors: {
      RATING_TOKEN_INVALID: '这个评价链接无效，请扫描小票上的二维码。',
      RATING_TOKEN_EXPIRED: '这个评价链接已过期（消费后 30 天内有效）。',
      RATING_INVALID: '请选择 1 到 5 星。',
      RATING_ALREADY_GIVEN: '这次消费已经评过分了，每次消费只能评一次。',
      other: '暂时无法评价，请稍后再试。',
    } as Record<string, string>,
  },
  en: {
    title: 'Rate your visit',
    prompt: (store: string, staff: string) =>
      `How was your visit to ${store}${staff === '' ? '' : ` (served by ${staff})`}?`,
    star: (n: number) => `${'★'.repeat(n)} ${n} star${n === 1 ? '' : 's'}`,
    comment: 'Anything to tell us (optional)',
    thanks: 'Thank you for your rating!',
    given: (n: number) => `This visit was already rated (${n} stars); each visit can be rated once.`,
    other: '中文',
    errors: {
      RATING_TOKEN_INVALID: 'This rating link is not valid; scan the QR code on your receipt.',
      RATING_TOKEN_EXPIRED: 'This rating link has expired (it is good for 30 days after the visit).',
      RATING_INVALID: 'Choose 1 to 5 stars.',
      RATING_ALREADY_GIVEN: 'This visit has already been rated; each visit can be rated once.',
      other: 'Rating is not possible right now; please try again later.',
    } as Record<string, string>,
  },
};

function html(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function shell(language: RatingLanguage, title: string, body: string): string {
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${html(title)}</title>${STYLE}</head><body>
${body}
</body></html>`;
}

export type RatingPageState =
  | { kind: 'ask'; token: string; storeName: string; staffName: string }
  | { kind: 'thanks' }
  | { kind: 'given'; stars: number }
  | { kind: 'refused'; code: string };

/** The customer's page; `path` is the page's own path, for the language switch and the form's target. */
export function renderRatingPage(state: RatingPageState, language: RatingLanguage, path: string): string {
  const words = WORDS[language];
  const otherLanguage = language === 'en' ? '' : '?lang=en';
  const switcher = `<p><a href="${html(path + otherLanguage)}">${words.other}</a></p>`;
  let body: string;
  if (state.kind === 'ask') {
    const buttons = [5, 4, 3, 2, 1]
      .map((n) => `<button type="submit" name="stars" value="${n}">${html(words.star(n))}</button>`)
      .join('\n');
    const action = `${path}${language === 'en' ? '?lang=en' : ''}`;
    body = `<h1>${html(words.title)}</h1>
<p>${html(words.prompt(state.storeName, state.staffName))}</p>
<form class="stars" method="post" action="${html(action)}">
<label>${html(words.comment)}<textarea name="comment" rows="2" maxlength="${MAX_COMMENT}"></textarea></label>
${buttons}
</form>`;
  } else if (state.kind === 'thanks') {
    body = `<h1>${html(words.title)}</h1><p class="thanks" role="status">${html(words.thanks)}</p>`;
  } else if (state.kind === 'given') {
    body = `<h1>${html(words.title)}</h1><p class="error" role="alert">${html(words.given(state.stars))}</p>`;
  } else {
    const text = words.errors[state.code] ?? words.errors.other!;
    body = `<h1>${html(words.title)}</h1><p class="error" role="alert" data-code="${html(state.code)}">${html(text)}</p>`;
  }
  return shell(language, words.title, `${body}\n${state.kind === 'refused' ? '' : switcher}`);
}

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

/** The managers' page of ratings (signed in): per store, cashier and week, and the low ones to follow up. */
export function renderRatingsReport(report: RatingsReport): string {
  const groups =
    report.groups.length === 0
      ? '<p class="empty">None.</p>'
      : `<table id="rating-groups"><thead><tr><th>Week</th><th>Store</th><th>Cashier</th><th>Ratings</th><th>Average</th><th>Low (1–2)</th></tr></thead><tbody>${report.groups
          .map(
            (row) =>
              `<tr><td>${html(row.week)}</td><td>${html(row.storeName)}</td><td>${html(row.staffName || row.staffId)}</td><td>${html(row.count)}</td><td>${html(row.average.toFixed(2))}</td><td>${html(row.low)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  const low =
    report.low.length === 0
      ? '<p class="empty">None.</p>'
      : `<table id="rating-low"><thead><tr><th>Rated</th><th>Stars</th><th>Store</th><th>Terminal</th><th>Cashier</th><th>Visit</th><th>Operation</th><th>Comment</th></tr></thead><tbody>${report.low
          .map(
            (row) =>
              `<tr><td>${html(when(row.ratedAt))}</td><td>${html(row.stars)}</td><td>${html(row.storeId)}</td><td>${html(row.terminalId)}</td><td>${html(row.staffName)}</td><td>${html(when(row.visitAt))}</td><td>${html(row.operationId)}</td><td>${html(row.comment ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return shell(
    'en',
    '顾客评价 / Customer ratings',
    `<p><a href="/">← HQ</a></p>
<h1>顾客评价 / Customer ratings</h1>
<h2>每周 · 门店 · 收银员 / Per week, store and cashier</h2>${groups}
<h2>低分待跟进 / Low ratings to follow up</h2>${low}`,
  );
}
