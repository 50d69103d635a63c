// Deterministic test collections for the search benchmark (bench/search.mjs), and a plain JS
// reference matcher that says which entries a correct Korean-aware search must return.
//
//   makeCollection(n, seed, { lean })  -> { title, language, articles: [...] }  (same n + seed -> same bytes)
//   QUERIES                            -> [{ name, q, korean }]  the benchmark's query set
//   searchedFields(article)            -> the strings a search looks at (title, summary, pick items, tags, authors)
//   referenceMatch(articles, q)        -> indices of the articles the query must find
//
// `lean` drops summaries, picks, dates and links and keeps titles short, so that a collection of
// 100,000 fits in a small document (for a viewer that limits document size).

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32): 32-bit state, uniform floats in [0, 1).
export function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const chance = (p) => next() < p;
  const sample = (xs, k) => {
    const out = new Set();
    while (out.size < Math.min(k, xs.length)) out.add(pick(xs));
    return [...out];
  };
  return { next, int, pick, chance, sample };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Companies and products are weighted by repetition in the templates below; 오라클,
// 클라우드, 데이터센터 and 반도체 appear often enough that every benchmark query has hits, and
// near-misses (오락, 오랜, 미라클, 올라, 클래스) exist so that a sloppy matcher shows.
const W = (s) => s.trim().split(/\s+/);

const COMPANIES = W(`
  오라클 오라클 오라클 엔비디아 엔비디아 삼성전자 삼성전자 SK하이닉스 SK하이닉스 네이버 카카오 구글 애플
  마이크로소프트 아마존 메타 테슬라 인텔 퀄컴 TSMC 오픈AI 오픈AI 앤트로픽 쿠팡 토스 LG전자 현대차 크래프톤
  넥슨 엔씨소프트 포스코 라인야후 당근마켓 리벨리온 퓨리오사AI 업스테이지 샤오미 화웨이 알리바바 바이트댄스
  틱톡 유튜브 넷플릭스 소니 AMD ARM 브로드컴 마이크론 어도비 세일즈포스 IBM 시스코 KT SK텔레콤 LG유플러스
  배달의민족 야놀자 무신사 하이브 셀트리온 두산에너빌리티 한화에어로스페이스 미라클소프트 오로라
`);
const NOUNS = W(`
  클라우드 클라우드 클라우드 데이터센터 데이터센터 반도체 반도체 반도체 인공지능 인공지능 스타트업 스타트업
  수율 수율 메모리 파운드리 칩 서버 전력 투자 계약 인수 합병 매출 영업이익 실적 분기 주가 시장 점유율 규제
  개인정보 보안 해킹 랜섬웨어 플랫폼 앱 구독 요금 광고 검색 모델 언어모델 생성형 챗봇 에이전트 로봇 자율주행
  전기차 배터리 디스플레이 스마트폰 폴더블 웨어러블 노트북 태블릿 게임 콘솔 메타버스 가상현실 증강현실
  블록체인 가상자산 비트코인 핀테크 결제 송금 은행 통신 위성 우주 발사체 양자컴퓨터 슈퍼컴퓨터 GPU NPU HBM
  D램 낸드 패키징 공정 웨이퍼 장비 소재 부품 공급망 수출 관세 제재 정부 과기정통부 공정위 국회 법안 특허
  소송 노조 채용 감원 구조조정 개발자 오픈소스 리눅스 데이터베이스 소프트웨어 운영체제 업데이트 신제품
  협력 파트너십 제휴 컨소시엄 펀드 벤처캐피털 유니콘 상장 기업가치 에너지 원전 냉각 탄소중립 재생에너지
  오락 오락실 클래스 라이선스 라이브 오디오 동영상 쇼핑 물류 배송 헬스케어 바이오 신약 의료 교육 에듀테크
  인재 연구소 연구개발 생태계 표준 인증 테스트 시범사업 지원금 보조금 세액공제 가격 인상 인하 할인 점검
  장애 복구 백업 암호화 인증서 피싱 스팸 알고리즘 추천 개인화 빅데이터 분석 시각화 자동화 디지털전환
`);
const ACTIONS = W(`
  확대 추진 돌파 개선 강화 도입 출시 공개 발표 검토 착수 완료 중단 연기 재개 합의 체결 선정 확보 유치
  인상 축소 전환 가속 본격화 논란 우려 기대 급증 급감 반등 회복 사상최대 흑자전환 적자
`);
const ENDINGS = W(`밝혔다 전망이다 계획이다 예정이다 설명했다 분석했다 강조했다 덧붙였다 나타났다 알려졌다`);
const PLACES = W(`미국 중국 일본 유럽 대만 인도 베트남 한국 국내 글로벌 실리콘밸리 판교 서울 부산 세종`);
const NUMBERS = ['3천억 달러', '1조 원', '2조 원', '5천억 원', '100억 원', '30%', '50%', '80%', '2배', '10배', '1위', '3분기', '4분기', '상반기', '하반기'];

const EN_COMPANIES = W(`Oracle Nvidia Samsung SK-Hynix Naver Kakao Google Apple Microsoft Amazon Meta Tesla Intel
  Qualcomm TSMC OpenAI Anthropic Coupang AMD Arm Broadcom Micron IBM Cisco Rebellions Upstage`);
const EN_NOUNS = W(`cloud cloud AI AI chip chips data-center memory HBM foundry yield server power deal revenue
  profit shares market regulation privacy security breach platform subscription model agent robot battery
  display smartphone startup funding IPO valuation supply-chain export tariffs lawsuit layoffs developers
  open-source database software update launch partnership investment energy cooling`);
const EN_VERBS = W(`expands signs unveils boosts cuts delays launches wins loses raises targets doubles weighs
  resumes halts accelerates`);
const EN_TAILS = ['as demand surges', 'amid chip shortage', 'in record quarter', 'after regulators step in',
  'to power AI training', 'for Korean market', 'despite weak sales', 'with new funding round',
  'as competition heats up', 'in cloud push', 'said the company', 'analysts say'];

export const TAGS = W(`
  반도체 클라우드 인공지능 AI 스타트업 모바일 보안 게임 통신 플랫폼 전기차 배터리 로봇 우주 바이오
  핀테크 가상자산 데이터센터 소프트웨어 하드웨어 오픈소스 규제 정책 투자 인수합병 실적 인사 채용
  글로벌 미국 중국 일본 유럽 메모리 파운드리 디스플레이 스마트폰 생성형AI 챗봇 자율주행 에너지 전력
  커머스 물류 광고 미디어 콘텐츠 교육 헬스케어 개인정보 해킹 리뷰 인터뷰 분석 칼럼 속보 단독 기획
`);
const SURNAMES = W(`김 이 박 최 정 강 조 윤`);
const GIVEN = W(`서연 민준 지우 하준 서윤 도윤 예은 시우 수아 주원`);
export const AUTHORS = SURNAMES.flatMap((s) => GIVEN.map((g) => s + g)); // 80 names

// Korean particles depend on whether the word ends in a final consonant (받침).
function hasBatchim(word) {
  const c = word.codePointAt(word.length - 1);
  if (c >= 0xac00 && c <= 0xd7a3) return (c - 0xac00) % 28 !== 0;
  return /[lmnr]$/i.test(word); // good enough for Latin-script names (AI -> 가, TSMC -> 가)
}
const josa = (word, withB, without) => word + (hasBatchim(word) ? withB : without);
const topic = (w) => josa(w, '은', '는');
const subj = (w) => josa(w, '이', '가');
const obj = (w) => josa(w, '을', '를');
const and = (w) => josa(w, '과', '와');
const gen = (w) => w + '의';

// ---------------------------------------------------------------------------------------------
function koTitle(r) {
  const c = r.pick(COMPANIES), c2 = r.pick(COMPANIES), n = r.pick(NOUNS), n2 = r.pick(NOUNS), a = r.pick(ACTIONS);
  switch (r.int(0, 7)) {
    case 0: return `${c}, ${n} ${n2} ${a}`;
    case 1: return `${and(c)} 손잡은 ${c2}… ${n} ${a}`;
    case 2: return `${r.pick(PLACES)} ${n} 시장 ${r.pick(NUMBERS)} ${a} 전망`;
    case 3: return `${gen(c)} ${n} ${a}, ${subj(n2)} 관건`;
    case 4: return `[${r.pick(['단독', '분석', '인터뷰', '기획', '속보'])}] ${c} ${n} ${r.pick(NUMBERS)} ${a}`;
    case 5: return `${topic(c)} 왜 ${obj(n)} ${a}했나`;
    case 6: return `${n} ${subj(n2)} 바꾸는 ${n} ${r.pick(['지형', '판도', '미래', '경쟁'])}`;
    default: return `${c} ${n}·${n2} ${a}… ${r.pick(NUMBERS)}`;
  }
}

function koSentence(r) {
  const c = r.pick(COMPANIES), n = r.pick(NOUNS), n2 = r.pick(NOUNS), n3 = r.pick(NOUNS);
  switch (r.int(0, 5)) {
    case 0: return `${topic(c)} ${r.pick(PLACES)}에서 ${n} ${obj(n2)} ${r.pick(ACTIONS)}한다고 ${r.pick(ENDINGS)}.`;
    case 1: return `업계에서는 ${gen(n)} ${subj(n2)} ${r.pick(NUMBERS)} ${r.pick(ACTIONS)}할 것으로 보고 있다.`;
    case 2: return `${and(c)} ${r.pick(COMPANIES)} 사이의 ${n} 경쟁이 ${n3} 분야로 번지고 있다.`;
    case 3: return `${n} 수요가 늘면서 ${gen(c)} ${n2} ${subj('매출')} ${r.pick(NUMBERS)} 늘었다.`;
    case 4: return `${topic(c)} ${n}·${n2} 투자를 ${r.pick(ACTIONS)}할 ${r.pick(ENDINGS)}.`;
    default: return `전문가들은 ${n} ${r.pick(ACTIONS)}에 따른 ${n2} ${obj(n3)} ${r.pick(['우려했다', '기대했다', '주목했다'])}.`;
  }
}

function enTitle(r) {
  const c = r.pick(EN_COMPANIES), n = r.pick(EN_NOUNS), n2 = r.pick(EN_NOUNS);
  switch (r.int(0, 3)) {
    case 0: return `${c} ${r.pick(EN_VERBS)} ${n} ${n2} ${r.pick(EN_TAILS)}`;
    case 1: return `${c} and ${r.pick(EN_COMPANIES)} ${r.pick(EN_VERBS)} ${n} deal`;
    case 2: return `Why ${c} ${r.pick(EN_VERBS)} its ${n} plans`;
    default: return `${n[0].toUpperCase() + n.slice(1)} ${n2}: ${c} ${r.pick(EN_VERBS)} ${r.pick(EN_TAILS)}`;
  }
}

function enSentence(r) {
  const c = r.pick(EN_COMPANIES), n = r.pick(EN_NOUNS), n2 = r.pick(EN_NOUNS);
  switch (r.int(0, 2)) {
    case 0: return `${c} said on ${r.pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])} it ${r.pick(EN_VERBS)} ${n} ${n2} ${r.pick(EN_TAILS)}.`;
    case 1: return `Analysts expect ${n} ${n2} to grow ${r.int(5, 90)}% next year.`;
    default: return `The ${n} market remains tight, with ${c} and ${r.pick(EN_COMPANIES)} competing for ${n2}.`;
  }
}

const START = Date.UTC(2023, 0, 1), SPAN = 3 * 365 * 24 * 3600 * 1000;

function date(r) {
  // RFC 3339 in Korea time (+09:00), minutes resolution.
  const t = new Date(START + Math.floor(r.next() * SPAN) + 9 * 3600 * 1000);
  const p = (x) => String(x).padStart(2, '0');
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:00+09:00`;
}

/** The articles of makeCollection one by one (a million do not fit in one array comfortably). */
export function* articlesOf(n, seed = 1, { lean = false } = {}) {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const english = r.chance(0.2);
    const id = lean ? i.toString(36) : `a${String(i).padStart(6, '0')}`;
    if (lean) {
      const title = english
        ? `${r.pick(EN_COMPANIES)} ${r.pick(EN_VERBS)} ${r.pick(EN_NOUNS)}`
        : `${r.pick(COMPANIES)} ${r.pick(NOUNS)} ${r.pick(ACTIONS)}`;
      yield { id, title, tags: [r.pick(TAGS)] };
      continue;
    }
    const sentences = r.int(1, 3);
    const a = {
      id,
      title: english ? enTitle(r) : koTitle(r),
      summary: Array.from({ length: sentences }, () => (english ? enSentence(r) : koSentence(r))).join(' '),
      tags: r.sample(TAGS, r.int(1, 4)),
      authors: r.sample(AUTHORS, r.chance(0.8) ? 1 : 2).map((name) => ({ name })),
      published: date(r),
      href: `articles/${id}.json`,
    };
    if (r.chance(0.25)) {
      a.editors_pick = {
        items: Array.from({ length: r.int(2, 3) }, () =>
          english ? `${r.pick(EN_NOUNS)} ${r.pick(EN_VERBS)} ${r.int(2, 90)}%`
            : `${r.pick(NUMBERS)} 규모 ${r.pick(NOUNS)} ${r.pick(ACTIONS)}`),
      };
    }
    yield a;
  }
}

export const collectionTitle = (n, lean = false) => `벤치마크 기사 모음 (${n.toLocaleString('en')}건${lean ? ', 간략' : ''})`;

/** A collection of n articles; the same (n, seed, lean) always gives the same collection. */
export function makeCollection(n, seed = 1, { lean = false } = {}) {
  return { title: collectionTitle(n, lean), language: 'ko', articles: [...articlesOf(n, seed, { lean })] };
}

// ---------------------------------------------------------------------------------------------
// The query set. `korean` queries count toward "Korean recall"; all are typed and timed.
export const QUERIES = [
  { name: '오라클', q: '오라클', korean: true },
  { name: '라클 (mid-word)', q: '라클', korean: true },
  { name: 'ㅇㄹㅋ (초성)', q: 'ㅇㄹㅋ', korean: true },
  { name: 'ㅋㄹㅇㄷ (초성)', q: 'ㅋㄹㅇㄷ', korean: true },
  { name: '오ㄹㅋ (mixed)', q: '오ㄹㅋ', korean: true },
  { name: '오랔 (composing)', q: '오랔', korean: true },
  { name: '오라 (composing)', q: '오라', korean: true },
  { name: '데이터센터 (NFD)', q: '데이터센터'.normalize('NFD'), korean: true },
  { name: '반도체 수율', q: '반도체 수율', korean: true },
  { name: 'AI', q: 'AI', korean: false },
  { name: 'ａｉ (full-width)', q: 'ａｉ', korean: false },
  { name: 'cloud', q: 'cloud', korean: false },
];

// ---------------------------------------------------------------------------------------------
// Reference matcher. Deliberately naive: fold both sides, then slide a list of per-character
// predicates over every searched field. No index, no ranking.
//
// Rules (the viewer's documented search semantics):
//  * Folding: NFC; every char outside the Hangul compatibility jamo block (U+3131..U+318E) is
//    NFKC-folded (full-width ａ -> a); then lower case.
//  * The query is split on whitespace; an entry matches when EVERY term occurs, as a
//    contiguous substring, in SOME searched field (different terms may hit different fields).
//  * A bare consonant (ㄱ..ㅎ) matches any syllable with that initial, or itself. A compound
//    one that cannot start a syllable (ㄳ, ㄺ ...) stands for its parts (ㄱ, ㅅ ...).
//  * Every other char must be equal, except the term's LAST char if it is a syllable, which the
//    user may still be composing. With typed syllable (L, V, T), a text position matches when
//      a) it is a syllable with initial L whose vowel+tail keys start with V's and T's keys
//         (라 -> 라 락 란 랄 ...; 고 -> 고 과 괘 괴 곡 ...; 달 -> 달 닭 닮 ...), or
//      b) T is not empty and the text has the syllable (L, V, T minus its last key) followed
//         by a syllable starting with that last key (랔 -> 라 + ㅋ...; 닭 -> 달 + ㄱ...).
//  * A vowel left dangling at the end of a term (an IME state) is ignored.
const LEADS = [...'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ'];
const VOWELS = [...'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ'];
const TAILS = ['', ...'ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ'];
// Keys that make up a compound vowel or tail on a 2-set (두벌식) keyboard.
export const KEYS = {
  ㅘ: 'ㅗㅏ', ㅙ: 'ㅗㅐ', ㅚ: 'ㅗㅣ', ㅝ: 'ㅜㅓ', ㅞ: 'ㅜㅔ', ㅟ: 'ㅜㅣ', ㅢ: 'ㅡㅣ',
  ㄳ: 'ㄱㅅ', ㄵ: 'ㄴㅈ', ㄶ: 'ㄴㅎ', ㄺ: 'ㄹㄱ', ㄻ: 'ㄹㅁ', ㄼ: 'ㄹㅂ', ㄽ: 'ㄹㅅ', ㄾ: 'ㄹㅌ', ㄿ: 'ㄹㅍ', ㅀ: 'ㄹㅎ', ㅄ: 'ㅂㅅ',
};
export const keysOf = (jamo) => [...(KEYS[jamo] || jamo)];

/** Syllable -> { lead, vowel, tail } as compatibility jamo (tail '' if none), else null. */
export function decompose(ch) {
  const c = ch.codePointAt(0) - 0xac00;
  if (!(c >= 0 && c < 11172)) return null;
  return { lead: LEADS[Math.floor(c / 588)], vowel: VOWELS[Math.floor((c % 588) / 28)], tail: TAILS[c % 28] };
}
export function compose(lead, vowel, tail = '') {
  const l = LEADS.indexOf(lead), v = VOWELS.indexOf(vowel), t = TAILS.indexOf(tail);
  if (l < 0 || v < 0 || t < 0) return null;
  return String.fromCodePoint(0xac00 + l * 588 + v * 28 + t);
}
const isVowel = (ch) => VOWELS.includes(ch);
const isConsonant = (ch) => ch >= 'ㄱ' && ch <= 'ㅎ';

export function fold(s) {
  let out = '';
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0);
    out += cp >= 0x3131 && cp <= 0x318e ? ch : ch.normalize('NFKC');
  }
  return out.toLowerCase().replace(/\s+/g, ' ');
}

const initialIs = (lead) => (ch) => ch === lead || decompose(ch)?.lead === lead;

/** The alternative predicate lists for one folded, non-empty term. */
function patterns(term) {
  const chars = [...term];
  while (chars.length > 1 && isVowel(chars[chars.length - 1])) chars.pop();
  const preds = (ch) => {
    if (!isConsonant(ch)) return [(t) => t === ch];
    if (LEADS.includes(ch)) return [initialIs(ch)];
    return keysOf(ch).map(initialIs);
  };
  const body = chars.slice(0, -1).flatMap(preds);
  const last = chars[chars.length - 1];
  const syl = decompose(last);
  if (!syl) return [[...body, ...preds(last)]];
  const typed = [...keysOf(syl.vowel), ...(syl.tail ? keysOf(syl.tail) : [])];
  const extends_ = (ch) => {
    const d = decompose(ch);
    if (!d || d.lead !== syl.lead) return false;
    const keys = [...keysOf(d.vowel), ...(d.tail ? keysOf(d.tail) : [])];
    return typed.every((k, i) => keys[i] === k);
  };
  const alts = [[...body, extends_]];
  if (syl.tail) {
    const tk = keysOf(syl.tail);
    const moved = tk.pop();
    const rest = tk.length ? Object.keys(KEYS).find((j) => KEYS[j] === tk.join('')) || tk[0] : '';
    const before = compose(syl.lead, syl.vowel, rest);
    alts.push([...body, (t) => t === before, initialIs(moved)]);
  }
  return alts;
}

function occursIn(text, preds) {
  const t = [...text];
  outer: for (let i = 0; i + preds.length <= t.length; i++) {
    for (let j = 0; j < preds.length; j++) if (!preds[j](t[i + j])) continue outer;
    return true;
  }
  return false;
}

export function searchedFields(a) {
  return [a.title, a.summary || '', ...(a.editors_pick?.items || []), ...(a.tags || []), ...(a.authors || []).map((x) => x.name)];
}

/** Indices (ascending) of the articles that query q must find. An empty query finds all. */
export function referenceMatch(articles, q, foldedFields) {
  const terms = fold(q).split(' ').filter(Boolean).map(patterns);
  const out = [];
  for (let i = 0; i < articles.length; i++) {
    const fields = foldedFields ? foldedFields[i] : searchedFields(articles[i]).map(fold);
    if (terms.every((alts) => fields.some((f) => alts.some((p) => occursIn(f, p))))) out.push(i);
  }
  return out;
}

/** Folded searched fields of every article, to reuse across many referenceMatch calls. */
export const foldAll = (articles) => articles.map((a) => searchedFields(a).map(fold));

// ---------------------------------------------------------------------------------------------
// Typing as a 2-set (두벌식) IME shows it: the states of the search box key by key.
const VOWEL_KEYS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ';
const joinKeys = (a, b) => Object.keys(KEYS).find((j) => KEYS[j] === a + b);
const canTail = (c) => compose('ㄱ', 'ㅏ', c) !== null;

/** The box's states as `keys` are typed after `prefix` (the text before them). */
export function composeKeys(prefix, keys) {
  const states = [];
  let done = prefix, cur = null;
  const render = () => done + (!cur ? '' : cur.l && cur.v ? compose(cur.l, cur.v, cur.t) : cur.l || cur.v);
  const commit = () => { done = render(); cur = null; };
  for (const k of keys) {
    if (VOWEL_KEYS.includes(k)) {
      if (!cur) cur = { v: k, t: '' };
      else if (!cur.v) cur.v = k;
      else if (!cur.t && joinKeys(cur.v, k)) cur.v = joinKeys(cur.v, k);
      else if (cur.t && cur.l) {
        // The tail's last key starts the next syllable.
        const tk = keysOf(cur.t), moved = tk.pop();
        done += compose(cur.l, cur.v, tk.length ? tk.join('') : '');
        cur = { l: moved, v: k, t: '' };
      } else { commit(); cur = { v: k, t: '' }; }
    } else if (!cur) cur = { l: k, t: '' };
    else if (cur.l && cur.v && !cur.t && canTail(k)) cur.t = k;
    else if (cur.l && cur.v && cur.t && joinKeys(cur.t, k)) cur.t = joinKeys(cur.t, k);
    else { commit(); cur = { l: k, t: '' }; }
    states.push(render());
  }
  return states;
}

/** The keys that type syllable `ch`. */
export const syllableKeys = (ch) => { const d = decompose(ch); return [d.lead, ...keysOf(d.vowel), ...(d.tail ? keysOf(d.tail) : [])]; };
