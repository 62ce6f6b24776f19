/**
 * Valence of emoji and emoticons, −5..5 like AFINN. Written by the team from the Unicode
 * names and common usage: faces by the feeling they draw, hearts and hands by gesture.
 * Laughing faces are mildly positive: in complaints they are often bitter, and the
 * complaint cues outweigh them there.
 */
const EMOJI: Record<string, number> = {
  // Smiling and loving faces.
  '😀': 2, '😃': 2, '😄': 2, '😁': 2, '😊': 2, '🙂': 1, '😉': 1, '😍': 3, '🥰': 3, '😘': 2,
  '😗': 1, '😙': 1, '😚': 2, '🤗': 2, '🤩': 3, '😇': 2, '😎': 2, '🥳': 3, '😋': 2, '😌': 1,
  '😆': 1, '😅': 0, '😂': 1, '🤣': 1, '😜': 1, '😝': 1, '😛': 1, '🙃': -1, '☺': 2,
  // Hearts, hands, celebration.
  '❤': 3, '💕': 3, '💖': 3, '💗': 3, '💓': 3, '💞': 3, '💘': 3, '💙': 2, '💚': 2, '💛': 2,
  '💜': 2, '🧡': 2, '🖤': 1, '💯': 2, '👍': 2, '👏': 2, '🙌': 2, '🙏': 1, '👌': 2, '✌': 1,
  '💪': 2, '🤝': 1, '🎉': 3, '🎊': 2, '✨': 1, '🌟': 2, '⭐': 1, '🏆': 2, '🥇': 2, '😻': 3,
  '✅': 1, '🔥': 1, '☀': 1, '🌞': 1, '🌈': 1,
  // Sad, tired, disappointed.
  '😞': -2, '😔': -2, '😟': -2, '😕': -2, '🙁': -2, '☹': -2, '😣': -2, '😖': -2, '😫': -3,
  '😩': -3, '😢': -2, '😭': -2, '😥': -2, '😓': -2, '😪': -1, '😰': -2, '😨': -2, '😱': -2,
  '💔': -3, '🥺': -1, '😿': -2, '🥲': -1,
  // Annoyed, angry, disgusted.
  '😒': -2, '🙄': -2, '😑': -1, '😐': -1, '😤': -3, '😠': -3, '😡': -4, '🤬': -4, '👎': -2,
  '🤦': -2, '🤮': -3, '🤢': -3, '💩': -2, '🖕': -4, '😬': -1, '🤔': 0, '😶': -1, '❌': -1,
  '🚫': -1, '⚠': -1, '🤡': -2, '💀': -1, '😴': -1, '🥱': -1,
};

const EMOTICONS: Record<string, number> = {
  ':)': 2, ':-)': 2, ':]': 2, '=)': 2, ':d': 2, ':-d': 2, ';)': 1, ';-)': 1, ':p': 1, ':-p': 1,
  ';p': 1, '<3': 3, '^_^': 2, '(:': 2,
  ':(': -2, ':-(': -2, ':[': -2, '=(': -2, ":'(": -2, ':/': -1, ':-/': -1, ':\\': -1, ':|': -1,
  ':-|': -1, '</3': -3, '-_-': -1, '):': -2, ':@': -3, ':$': -1,
};

/** Valence of an emoji or emoticon token, or undefined when we have none for it. */
export function emojiValence(token: string): number | undefined {
  const direct = EMOJI[token] ?? EMOTICONS[token];
  if (direct !== undefined) return direct;
  // Repeated mouths (":(((", ":)))") and variation selectors are the same feeling.
  const squeezed = token.replace(/([()\]\[dp])\1+$/, '$1').replace(/\uFE0F/g, '');
  return EMOJI[squeezed] ?? EMOTICONS[squeezed];
}
