// Search, as a progressive enhancement: without JavaScript the header shows a
// link to /search/ and that page lists the directories instead.
(() => {
  "use strict";
  const headerForm = document.querySelector(".site-search");
  const headerLink = document.querySelector(".search-link");
  if (headerForm && headerLink) {
    headerForm.hidden = false;
    headerLink.hidden = true;
  }

  const form = document.getElementById("search-form");
  if (!form) return;
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  let pagefind = null;
  let latest = "";

  async function engine() {
    if (!pagefind) {
      pagefind = await import(form.dataset.bundle + "pagefind.js");
      // Long policy texts mention a term many times; damp frequency and length
      // so a page about the term outranks a page that repeats it.
      const options = { baseUrl: form.dataset.base, ranking: { termFrequency: 0.3, pageLength: 0.2 } };
      await pagefind.options(options);
      // A large site's index comes in parts (pagefind/parts.json); merge them.
      const listed = await fetch(form.dataset.bundle + "parts.json").catch(() => null); // [] for one part
      if (listed && listed.ok) {
        for (const part of await listed.json()) {
          await pagefind.mergeIndex(form.dataset.bundle + part, options);
        }
      }
    }
    return pagefind;
  }

  // Pagefind marks matches with <mark>; rebuild the excerpt from text nodes so
  // nothing in it can become markup.
  function excerpt(html) {
    const p = document.createElement("p");
    p.className = "search-excerpt";
    const parsed = new DOMParser().parseFromString(html, "text/html");
    for (const node of parsed.body.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(document.createTextNode(node.textContent));
      }
    }
    return p;
  }

  function item(result) {
    const li = document.createElement("li");
    const heading = document.createElement("h2");
    const a = document.createElement("a");
    a.href = result.url;
    a.textContent = (result.meta && result.meta.title) || result.url;
    heading.append(a);
    li.append(heading);
    if (result.meta && result.meta.kind) {
      const kind = document.createElement("p");
      kind.className = "search-kind";
      kind.textContent = result.meta.kind;
      li.append(kind);
    }
    li.append(excerpt(result.excerpt || ""));
    return li;
  }

  // A page named by the query comes first: 长垣厨师 is the brand's own page
  // before the pages that list it. Otherwise Pagefind's order stands.
  function byTitle(results, query) {
    const rank = (r) => {
      const title = ((r.meta && r.meta.title) || "").replace(/\s+/g, "");
      const q = query.replace(/\s+/g, "");
      return title === q ? 0 : title.includes(q) ? 1 : 2;
    };
    return results.map((r, i) => [rank(r), i, r]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]);
  }

  async function run(raw) {
    const query = raw.trim();
    if (query && query === latest) return; // already shown or on its way
    latest = query;
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    status.textContent = "正在搜索…";
    try {
      const pf = await engine();
      const search = await pf.search(query);
      const loaded = await Promise.all(search.results.slice(0, 40).map((r) => r.data()));
      if (latest !== query) return;
      const results = byTitle(loaded, query).slice(0, 20);
      list.replaceChildren(...results.map(item));
      status.textContent = results.length
        ? `找到 ${search.results.length} 个相关页面${search.results.length > 20 ? "，显示前 20 个" : ""}。`
        : `没有找到与“${query}”相关的页面。`;
    } catch (error) {
      status.textContent = "搜索暂时无法使用，请按目录查找。";
      console.warn(error);
    }
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value), 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const url = new URL(location.href);
    url.searchParams.set("q", input.value.trim());
    history.replaceState(null, "", url);
    run(input.value);
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
