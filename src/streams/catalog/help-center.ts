/**
 * Help Center (Guide) and community: articles from the incremental article
 * export, the structure lists, and the per-article / per-post children. The
 * Help Center has its own rate-limit bucket.
 *
 * Children cost one request per changed parent (per comment for the comment
 * votes, which are therefore opt-in); each child record carries its parent's id.
 */
import type { StreamDescriptor } from '../descriptor.js';

const GUIDE = 'Guide (Help Center enabled)';
const COMMUNITY = 'Guide Professional or Suite Growth and up (community)';

function hcList(name: string, path: string, recordsKey: string, description: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  return {
    name,
    product: 'help_center',
    path,
    recordsKey,
    paginator: 'cursor_list',
    primaryKey: ['id'],
    replicationKey: 'updated_at',
    replicationKeyType: 'iso',
    filter: 'client',
    bucket: 'help_center',
    requires: GUIDE,
    description,
    ...extra,
  };
}

/**
 * One cursor-paged list per parent record; `{field}` placeholders come from the parent.
 * No Zendesk source says whether a new comment, vote or attachment moves its parent's
 * updated_at (the article export returns articles whose "metadata" changed), so every
 * parent is swept now and then (`sweep`, config child_sweep_hours).
 */
function child(name: string, parent: string, fields: Record<string, string>, path: string, recordsKey: string, description: string, extra: Partial<StreamDescriptor> = {}): StreamDescriptor {
  return hcList(name, path, recordsKey, description, { parent: { stream: parent, fields, sweep: true }, ...extra });
}

export const helpCenter: StreamDescriptor[] = [
  {
    name: 'articles',
    product: 'help_center',
    path: '/api/v2/help_center/incremental/articles',
    recordsKey: 'articles',
    // No end_of_stream: the export ends on a page shorter than per_page (zendesk-api.md §3.7).
    paginator: 'time_export',
    // The export's fixed page (zendesk-api.md §3.7); Zendesk documents no per_page for it.
    pageSize: 1000,
    pageSizeParam: false,
    primaryKey: ['id'],
    replicationKey: 'updated_at',
    replicationKeyType: 'iso',
    filter: 'server',
    bucket: 'help_center',
    requires: GUIDE,
    description: 'Help Center articles (all locales), from the incremental article export.',
  },
  child('article_attachments', 'articles', { article_id: 'id' }, '/api/v2/help_center/articles/{article_id}/attachments', 'article_attachments',
    'Attachments of each article (one request per changed article).'),
  child('article_comments', 'articles', { article_id: 'id' }, '/api/v2/help_center/articles/{article_id}/comments', 'comments',
    'Comments on each article (one request per changed article).'),
  child('article_votes', 'articles', { article_id: 'id' }, '/api/v2/help_center/articles/{article_id}/votes', 'votes',
    'Votes on each article (one request per changed article).'),
  child('article_comment_votes', 'article_comments', { article_id: 'source_id', comment_id: 'id' },
    '/api/v2/help_center/articles/{article_id}/comments/{comment_id}/votes', 'votes',
    'Votes on each article comment. Opt-in: one request per changed comment.', { selectedByDefault: false }),
  hcList('sections', '/api/v2/help_center/sections', 'sections', 'Help Center sections (article containers, possibly nested).'),
  hcList('categories', '/api/v2/help_center/categories', 'categories', 'Help Center categories (section containers).'),
  hcList('article_labels', '/api/v2/help_center/articles/labels', 'labels', 'Article labels (search keywords).', {
    replicationKey: undefined,
    replicationKeyType: undefined,
    filter: undefined,
    requires: 'Guide Professional or Suite Growth and up (article labels)',
  }),
  hcList('content_tags', '/api/v2/guide/content_tags', 'records', 'Content tags shared by articles and posts.', {
    replicationKey: undefined,
    replicationKeyType: undefined,
    filter: undefined,
  }),
  hcList('user_segments', '/api/v2/help_center/user_segments', 'user_segments', 'User segments that restrict who sees which content.'),
  hcList('topics', '/api/v2/community/topics', 'topics', 'Community topics (post containers).', { requires: COMMUNITY }),
  hcList('posts', '/api/v2/community/posts', 'posts', 'Community posts.', { requires: COMMUNITY }),
  child('post_comments', 'posts', { post_id: 'id' }, '/api/v2/community/posts/{post_id}/comments', 'comments',
    'Comments on each community post (one request per changed post).', { requires: COMMUNITY }),
  child('post_votes', 'posts', { post_id: 'id' }, '/api/v2/community/posts/{post_id}/votes', 'votes',
    'Votes on each community post (one request per changed post).', { requires: COMMUNITY }),
  child('post_comment_votes', 'post_comments', { post_id: 'post_id', comment_id: 'id' },
    '/api/v2/community/posts/{post_id}/comments/{comment_id}/votes', 'votes',
    'Votes on each community post comment. Opt-in: one request per changed comment.', { requires: COMMUNITY, selectedByDefault: false }),
];
