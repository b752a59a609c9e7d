import { iso } from '../clock.js';
import { below, pick, unit } from '../rng.js';
import { ID } from './ids.js';
import type { Rec } from './collection.js';
import type { Builders } from './store.js';
import { ulid } from './store.js';

// Shapes: docs /api-reference/help_center/help-center-api/ JSON formats (articles, sections, comments, votes, ...).
/**
 * Help Center and community: categories > sections > articles (with
 * attachments, comments, votes and comment votes), labels, content tags, user
 * segments, topics > posts (with comments, votes and comment votes).
 */

export const HC_START = Date.UTC(2023, 3, 1) / 1000;
const HC = 'https://acme.zendesk.com/api/v2/help_center';
const HC_HTML = 'https://acme.zendesk.com/hc/en-us';
const COMMUNITY = 'https://acme.zendesk.com/api/v2/community';

export function helpCenterBuilders(seed: number, articles: number, posts: number, users: number[]): Builders {
  const user = (k: number): number => users[k % users.length]!;
  const categoryIds = [1, 2, 3].map((k) => ID.category + k);
  const sectionIds = [1, 2, 3, 4, 5, 6].map((k) => ID.section + k);
  const topicIds = [1, 2, 3].map((k) => ID.topic + k);
  const segmentIds = [1, 2, 3].map((k) => ID.userSegment + k);
  const tagIds = [0, 1, 2, 3].map((k) => ulid(seed, 1301, k));
  const aSpacing = Math.floor((86_400 * 500) / Math.max(1, articles));
  const pSpacing = Math.floor((86_400 * 400) / Math.max(1, posts));
  const articleTimes = (k: number): { created: number; updated: number } => {
    const created = HC_START + k * aSpacing + below(Math.floor(aSpacing / 2), seed, 1310, k);
    // Pairs of articles edited in the same second (a bulk move between sections).
    const updated = k % 13 === 6 ? HC_START + (k - 1) * aSpacing + Math.floor(aSpacing / 2) + 3600 : created + below(86_400 * 30, seed, 1311, k);
    return { created, updated: Math.max(created, updated) };
  };
  const postTimes = (k: number): { created: number; updated: number } => {
    const created = HC_START + 86_400 * 20 + k * pSpacing + below(Math.floor(pSpacing / 2), seed, 1320, k);
    return { created, updated: created + below(86_400 * 20, seed, 1321, k) };
  };
  const vote = (base: string, id: number, itemId: number, itemType: string, at: number, k: number): Rec => ({
    id,
    url: `${base}/votes/${id}.json`,
    user_id: user(k + 3),
    value: unit(seed, 1330, id % 1e6) < 0.8 ? 1 : -1,
    item_id: itemId,
    item_type: itemType,
    created_at: iso(at),
    updated_at: iso(at),
  });
  return {
    categories: () =>
      ['Getting started', 'Billing', 'Troubleshooting'].map((name, k) => ({
        id: categoryIds[k],
        url: `${HC}/en-us/categories/${categoryIds[k]}.json`,
        html_url: `${HC_HTML}/categories/${categoryIds[k]}`,
        name,
        description: `${name} articles`,
        locale: 'en-us',
        source_locale: 'en-us',
        outdated: false,
        position: k,
        created_at: iso(HC_START - 86_400 * 30 + k * 3600),
        updated_at: iso(HC_START - 86_400 * 10 + k * 7200),
      })),
    sections: () =>
      ['First steps', 'Accounts', 'Invoices', 'Payments', 'Known issues', 'Hardware'].map((name, k) => ({
        id: sectionIds[k],
        url: `${HC}/en-us/sections/${sectionIds[k]}.json`,
        html_url: `${HC_HTML}/sections/${sectionIds[k]}`,
        category_id: categoryIds[Math.floor(k / 2)],
        parent_section_id: k === 5 ? sectionIds[4] : null,
        name,
        description: '',
        locale: 'en-us',
        source_locale: 'en-us',
        outdated: false,
        position: k % 2,
        sorting: 'manual',
        theme_template: 'section_page',
        created_at: iso(HC_START - 86_400 * 20 + k * 3600),
        updated_at: iso(HC_START - 86_400 * 5 + k * 7200),
      })),
    articles: () =>
      Array.from({ length: articles }, (_, k) => {
        const id = ID.article + k + 1;
        const t = articleTimes(k);
        const title = `${pick(['How to', 'Why does', 'Setting up', 'Fixing', 'About'], seed, 1340, k)} ${pick(['invoices', 'SSO', 'the anvil', 'rocket skates', 'exports', 'webhooks'], seed, 1341, k)} (${k + 1})`;
        return {
          id,
          url: `${HC}/en-us/articles/${id}.json`,
          html_url: `${HC_HTML}/articles/${id}`,
          author_id: user(k),
          comments_disabled: k % 10 === 9,
          draft: k % 15 === 14,
          promoted: k % 12 === 0,
          position: 0,
          vote_sum: 0,
          vote_count: 0,
          section_id: sectionIds[k % sectionIds.length],
          created_at: iso(t.created),
          updated_at: iso(t.updated),
          edited_at: iso(t.updated),
          title,
          source_locale: 'en-us',
          locale: 'en-us',
          outdated: false,
          outdated_locales: [],
          permission_group_id: ID.chatConfig + 401,
          user_segment_id: k % 5 === 4 ? segmentIds[1] : null,
          user_segment_ids: k % 5 === 4 ? [segmentIds[1]] : [],
          label_names: k % 3 === 0 ? ['faq'] : [],
          content_tag_ids: k % 4 === 0 ? [tagIds[k % tagIds.length]] : [],
          body: `<p>${title}: step by step.</p>`,
        };
      }),
    article_attachments: () => {
      const out: Rec[] = [];
      for (let k = 0; k < articles; k++) {
        if (k % 4 !== 1) continue;
        const articleId = ID.article + k + 1;
        const t = articleTimes(k);
        for (let a = 0; a < 1 + (k % 2); a++) {
          const id = ID.hcAttachment + k * 4 + a + 1;
          const name = a ? 'diagram.png' : 'guide.pdf';
          out.push({
            id,
            url: `${HC}/articles/${articleId}/attachments/${id}.json`,
            article_id: articleId,
            display_file_name: name,
            file_name: name,
            locale: 'en-us',
            content_url: `https://acme.zendesk.com/hc/article_attachments/${id}`,
            relative_path: `/hc/article_attachments/${id}`,
            content_type: a ? 'image/png' : 'application/pdf',
            size: 10_000 + below(500_000, seed, 1350, k, a),
            inline: a === 1,
            guide_media_id: null,
            created_at: iso(t.created + 60),
            updated_at: iso(t.created + 60),
          });
        }
      }
      return out;
    },
    article_comments: () => {
      const out: Rec[] = [];
      for (let k = 0; k < articles; k++) {
        if (k % 3 === 2) continue;
        const articleId = ID.article + k + 1;
        const t = articleTimes(k);
        for (let c = 0; c < 1 + (k % 3); c++) {
          const id = ID.hcComment + k * 8 + c + 1;
          // Comments are older than their article's last change (a comment bumps it).
          const at = t.created + Math.floor(((t.updated - t.created) * (c + 1)) / 4);
          out.push({
            id,
            url: `${HC}/articles/${articleId}/comments/${id}.json`,
            html_url: `${HC_HTML}/articles/${articleId}/comments/${id}`,
            body: `<p>Comment ${c + 1} on article ${k + 1}</p>`,
            author_id: user(k + c + 5),
            source_id: articleId,
            source_type: 'Article',
            locale: 'en-us',
            vote_sum: 0,
            vote_count: 0,
            non_author_editor_id: null,
            non_author_updated_at: null,
            created_at: iso(at),
            updated_at: iso(at),
          });
        }
      }
      return out;
    },
    article_votes: () => {
      const out: Rec[] = [];
      for (let k = 0; k < articles; k++) {
        if (k % 2 === 1) continue;
        const articleId = ID.article + k + 1;
        const t = articleTimes(k);
        for (let v = 0; v < 1 + (k % 3); v++) out.push(vote(`${HC}/articles/${articleId}`, ID.hcVote + k * 8 + v + 1, articleId, 'Article', t.created + Math.floor(((t.updated - t.created) * (v + 1)) / 5), k + v));
      }
      return out;
    },
    article_comment_votes: () => {
      const out: Rec[] = [];
      for (let k = 0; k < articles; k++) {
        if (k % 3 !== 0) continue;
        const articleId = ID.article + k + 1;
        const commentId = ID.hcComment + k * 8 + 1;
        const t = articleTimes(k);
        out.push(vote(`${HC}/articles/${articleId}/comments/${commentId}`, ID.hcVote + 500_000 + k * 8 + 1, commentId, 'Comment', t.created + Math.floor((t.updated - t.created) / 2), k));
      }
      return out;
    },
    labels: () =>
      ['faq', 'billing', 'sso', 'hardware', 'beta', 'deprecated'].map((name, k) => ({
        id: ID.label + k + 1,
        url: `${HC}/articles/labels/${ID.label + k + 1}.json`,
        name,
        created_at: iso(HC_START + k * 86_400),
        updated_at: iso(HC_START + k * 86_400 + 3600),
      })),
    content_tags: () =>
      ['Onboarding', 'Payments', 'Security', 'Mobile'].map((name, k) => ({
        id: tagIds[k],
        name,
        created_at: iso(HC_START + k * 86_400 * 2),
        updated_at: iso(HC_START + k * 86_400 * 2 + 600),
      })),
    user_segments: () =>
      [['Signed-in users', 'signed_in_users', true], ['Agents and admins', 'staff', true], ['VIP customers', 'signed_in_users', false]].map(([name, type, builtIn], k) => ({
        id: segmentIds[k],
        name,
        user_type: type,
        built_in: builtIn,
        group_ids: k === 1 ? [ID.group + 1] : [],
        organization_ids: k === 2 ? [ID.organization + 1] : [],
        tags: k === 2 ? ['vip'] : [],
        or_tags: [],
        added_user_ids: [],
        created_at: iso(HC_START - 86_400 * 40 + k * 600),
        updated_at: iso(HC_START - 86_400 * 2 + k * 600),
      })),
    topics: () =>
      ['Feature requests', 'Tips and tricks', 'Announcements'].map((name, k) => ({
        id: topicIds[k],
        url: `${COMMUNITY}/topics/${topicIds[k]}.json`,
        html_url: `${HC_HTML}/community/topics/${topicIds[k]}`,
        name,
        description: `${name} from the community`,
        position: k,
        follower_count: 5 + k * 4,
        manageable_by: k === 2 ? 'managers' : 'staff',
        user_segment_id: null,
        created_at: iso(HC_START - 86_400 * 15 + k * 3600),
        updated_at: iso(HC_START - 86_400 * 3 + k * 3600),
      })),
    posts: () =>
      Array.from({ length: posts }, (_, k) => {
        const id = ID.post + k + 1;
        const t = postTimes(k);
        return {
          id,
          url: `${COMMUNITY}/posts/${id}.json`,
          html_url: `${HC_HTML}/community/posts/${id}`,
          title: `Community question ${k + 1}`,
          details: '<p>Has anyone tried this?</p>',
          author_id: user(k + 11),
          topic_id: topicIds[k % topicIds.length],
          status: pick(['none', 'planned', 'not_planned', 'completed', 'answered'], seed, 1360, k),
          featured: k % 9 === 0,
          pinned: k % 11 === 0,
          closed: k % 13 === 12,
          frozen: false,
          vote_sum: 0,
          vote_count: 0,
          comment_count: 0,
          follower_count: 1 + (k % 5),
          content_tag_ids: k % 5 === 0 ? [tagIds[0]] : [],
          non_author_editor_id: null,
          non_author_updated_at: null,
          created_at: iso(t.created),
          updated_at: iso(t.updated),
          edited_at: iso(t.created),
        };
      }),
    post_comments: () => {
      const out: Rec[] = [];
      for (let k = 0; k < posts; k++) {
        if (k % 2 === 1) continue;
        const postId = ID.post + k + 1;
        const t = postTimes(k);
        for (let c = 0; c < 1 + (k % 3); c++) {
          const id = ID.hcComment + 400_000 + k * 8 + c + 1;
          const at = t.created + Math.floor(((t.updated - t.created) * (c + 1)) / 4);
          out.push({
            id,
            url: `${COMMUNITY}/posts/${postId}/comments/${id}.json`,
            html_url: `${HC_HTML}/community/posts/${postId}/comments/${id}`,
            body: `<p>Reply ${c + 1}</p>`,
            author_id: user(k + c + 13),
            post_id: postId,
            official: c === 0 && k % 4 === 0,
            vote_sum: 0,
            vote_count: 0,
            non_author_editor_id: null,
            non_author_updated_at: null,
            created_at: iso(at),
            updated_at: iso(at),
            edited_at: iso(at),
          });
        }
      }
      return out;
    },
    post_votes: () => {
      const out: Rec[] = [];
      for (let k = 0; k < posts; k++) {
        if (k % 3 === 2) continue;
        const postId = ID.post + k + 1;
        const t = postTimes(k);
        for (let v = 0; v < 1 + (k % 2); v++) out.push(vote(`${COMMUNITY}/posts/${postId}`, ID.hcVote + 300_000 + k * 8 + v + 1, postId, 'Post', t.created + Math.floor(((t.updated - t.created) * (v + 1)) / 4), k + v));
      }
      return out;
    },
    post_comment_votes: () => {
      const out: Rec[] = [];
      for (let k = 0; k < posts; k++) {
        if (k % 4 !== 0) continue;
        const postId = ID.post + k + 1;
        const commentId = ID.hcComment + 400_000 + k * 8 + 1;
        const t = postTimes(k);
        out.push(vote(`${COMMUNITY}/posts/${postId}/comments/${commentId}`, ID.hcVote + 700_000 + k * 8 + 1, commentId, 'Comment', t.created + Math.floor((t.updated - t.created) / 3), k));
      }
      return out;
    },
  };
}
