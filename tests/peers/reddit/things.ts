/**
 * Reddit "things" as its API serves them in listings: `{kind, data}` with the documented
 * fields of a submission (t3) and of an inbox comment message (t1, `type:
 * username_mention`). Ids are base-36 like Reddit's.
 */

export type Thing = { kind: string; data: Record<string, unknown> };

export interface PostInput {
  subreddit: string;
  author: string;
  title: string;
  /** Unix seconds. */
  createdUtc: number;
  /** Text of a self post (markdown). Absent: a link post to `url`. */
  selftext?: string;
  /** @defaultValue `https://example.com/<id>` for link posts */
  url?: string;
  /** `moderator`, `deleted`... as `removed_by_category`. */
  removedBy?: string;
  /** False: kept out of search until the peer's `index` (search lists some posts minutes late). @defaultValue true */
  indexed?: boolean;
}

export interface MentionInput {
  /** The mentioned account. @defaultValue the peer's account */
  to?: string;
  subreddit: string;
  author: string;
  /** The comment's markdown. */
  body: string;
  linkTitle: string;
  createdUtc: number;
  /** Fullname of the parent (`t3_…` or `t1_…`). @defaultValue a post's fullname */
  parentId?: string;
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 50);

/** A submission as `GET /search` lists it. */
export function toPost(id: string, input: PostInput): Thing {
  const isSelf = input.selftext !== undefined;
  const permalink = `/r/${input.subreddit}/comments/${id}/${slug(input.title)}/`;
  return {
    kind: 't3',
    data: {
      approved_at_utc: null,
      subreddit: input.subreddit,
      selftext: input.selftext ?? '',
      selftext_html: input.selftext === undefined ? null : `<div class="md"><p>${input.selftext}</p></div>`,
      author_fullname: `t2_${id}u`,
      saved: false,
      title: input.title,
      subreddit_name_prefixed: `r/${input.subreddit}`,
      name: `t3_${id}`,
      score: 1,
      ups: 1,
      num_comments: 0,
      is_self: isSelf,
      over_18: false,
      domain: isSelf ? `self.${input.subreddit}` : new URL(input.url ?? `https://example.com/${id}`).host,
      url: isSelf ? `https://www.reddit.com${permalink}` : (input.url ?? `https://example.com/${id}`),
      permalink,
      id,
      author: input.author,
      created: input.createdUtc,
      created_utc: input.createdUtc,
      edited: false,
      removed_by_category: input.removedBy ?? null,
      subreddit_id: `t5_${slug(input.subreddit)}`,
      stickied: false,
    },
  };
}

/** A username mention as `GET /message/mentions` lists it. */
export function toMention(id: string, input: MentionInput & { to: string }, linkId: string): Thing {
  return {
    kind: 't1',
    data: {
      first_message: null,
      first_message_name: null,
      subreddit: input.subreddit,
      likes: null,
      replies: '',
      author_fullname: `t2_${id}u`,
      id,
      subject: 'username mention',
      associated_awarding_id: null,
      score: 1,
      author: input.author,
      num_comments: 1,
      parent_id: input.parentId ?? `t3_${linkId}`,
      subreddit_name_prefixed: `r/${input.subreddit}`,
      new: true,
      type: 'username_mention',
      body: input.body,
      link_title: input.linkTitle,
      dest: input.to,
      was_comment: true,
      body_html: `&lt;div class="md"&gt;&lt;p&gt;${input.body}&lt;/p&gt;&lt;/div&gt;`,
      name: `t1_${id}`,
      created: input.createdUtc,
      created_utc: input.createdUtc,
      context: `/r/${input.subreddit}/comments/${linkId}/${slug(input.linkTitle)}/${id}/?context=3`,
      distinguished: null,
    },
  };
}

/** Reddit's legacy escaping of `&`, `<`, `>` in text fields, which `raw_json=1` turns off. */
export function escapeLegacy(thing: Thing): Thing {
  const data = { ...thing.data };
  for (const field of ['title', 'selftext', 'body', 'link_title']) {
    if (typeof data[field] === 'string') data[field] = (data[field] as string).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
  return { ...thing, data };
}
