import { epochOf } from './clock.js';
import { E, ReplyError } from './errors.js';
import type { Registry, RouteCtx } from './registry.js';
import { arraySource } from './pagination.js';
import type { Rec } from './data/collection.js';

/**
 * Help Center and community. Articles come from the incremental article
 * export (zendesk-api.md §3.7): time-based, `next_page` carries the last
 * item's time, `end_time` reports it, and there is no end_of_stream (a page
 * shorter than per_page means caught up). Lists and per-parent children
 * accept cursor and offset paging; a missing parent answers 404.
 */
export function addHelpCenterRoutes(r: Registry): void {
  const HC = '/api/v2/help_center';
  const CM = '/api/v2/community';
  const store = (c: RouteCtx, name: string): Rec[] => c.data.hc.all(name);
  const updatedAt = (x: Rec): number => epochOf(x.updated_at as string);

  // docs /documentation/help_center/help-center-api/understanding-incremental-article-exports/: start_time,
  // up to 1000 per page, next_page carries the last item's time, end_time reports it. No per_page is
  // documented for the export: a page is always up to 1000 and per_page is ignored (issue 9 §4).
  r.timeExport(
    `${HC}/incremental/articles`,
    (c) => ({
      key: 'articles',
      scan: (from) =>
        store(c, 'articles')
          .filter((a) => updatedAt(a) >= from)
          .sort((a, b) => updatedAt(a) - updatedAt(b) || (a.id as number) - (b.id as number)),
      tsOf: updatedAt,
    }),
    { endOfStream: false, fixedSize: 1000 },
  );

  // Help Center OAS declares no pagination, yet lists accept cursor and offset paging: [3p] (zendesk-api.md §3.7);
  // docs /rest_api/docs/help_center/introduction/: "pagination ... work as described in the Zendesk API introduction".
  for (const [path, key, name] of [
    [`${HC}/sections`, 'sections', 'sections'],
    [`${HC}/categories`, 'categories', 'categories'],
    [`${HC}/articles/labels`, 'labels', 'labels'],
    [`${HC}/user_segments`, 'user_segments', 'user_segments'],
    [`${CM}/topics`, 'topics', 'topics'],
    [`${CM}/posts`, 'posts', 'posts'],
  ] as const) {
    r.list(path, key, (c) => arraySource(() => store(c, name)));
  }
  // docs /api-reference/help_center/help-center-api/content_tags/: cursor paging only (page[size], page[after])
  r.list('/api/v2/guide/content_tags', 'records', (c) => arraySource(() => store(c, 'content_tags'), (x) => x.id as string), { paging: 'cursor' });

  // Per-parent children: missing parent → 404 RecordNotFound (assumed like Support's per-ticket routes).
  const parent = (c: RouteCtx, name: string, param: string): number => {
    const id = Number(c.params[param]);
    if (!store(c, name).some((x) => x.id === id)) throw new ReplyError(E.recordNotFound());
    return id;
  };
  const children = (path: string, key: string, name: string, of: (c: RouteCtx) => (x: Rec) => boolean): void => {
    r.list(path, key, (c) => {
      const keep = of(c);
      return arraySource(() => store(c, name).filter(keep));
    });
  };
  children(`${HC}/articles/{article_id}/attachments`, 'article_attachments', 'article_attachments', (c) => {
    const id = parent(c, 'articles', 'article_id');
    return (x) => x.article_id === id;
  });
  children(`${HC}/articles/{article_id}/comments`, 'comments', 'article_comments', (c) => {
    const id = parent(c, 'articles', 'article_id');
    return (x) => x.source_id === id;
  });
  children(`${HC}/articles/{article_id}/votes`, 'votes', 'article_votes', (c) => {
    const id = parent(c, 'articles', 'article_id');
    return (x) => x.item_id === id;
  });
  children(`${HC}/articles/{article_id}/comments/{comment_id}/votes`, 'votes', 'article_comment_votes', (c) => {
    const article = parent(c, 'articles', 'article_id');
    const comment = parent(c, 'article_comments', 'comment_id');
    if (!store(c, 'article_comments').some((x) => x.id === comment && x.source_id === article)) throw new ReplyError(E.recordNotFound());
    return (x) => x.item_id === comment;
  });
  children(`${CM}/posts/{post_id}/comments`, 'comments', 'post_comments', (c) => {
    const id = parent(c, 'posts', 'post_id');
    return (x) => x.post_id === id;
  });
  children(`${CM}/posts/{post_id}/votes`, 'votes', 'post_votes', (c) => {
    const id = parent(c, 'posts', 'post_id');
    return (x) => x.item_id === id;
  });
  children(`${CM}/posts/{post_id}/comments/{comment_id}/votes`, 'votes', 'post_comment_votes', (c) => {
    const post = parent(c, 'posts', 'post_id');
    const comment = parent(c, 'post_comments', 'comment_id');
    if (!store(c, 'post_comments').some((x) => x.id === comment && x.post_id === post)) throw new ReplyError(E.recordNotFound());
    return (x) => x.item_id === comment;
  });
}
