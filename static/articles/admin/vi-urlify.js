// Fold Vietnamese into ASCII slugs the way articles/text/slugs.py does, so the slug
// prepopulated from the headline matches the server's: "Đầu tư" -> "dau-tu".
// Django's admin URLify() drops most Vietnamese letters ("viết" -> "vit").
'use strict';
{
    const djangoURLify = window.URLify;
    window.URLify = function(s, numChars, allowUnicode) {
        if (allowUnicode) {
            return djangoURLify(s, numChars, allowUnicode);
        }
        const folded = s.normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')
            .replace(/đ/g, 'd')
            .replace(/Đ/g, 'D');
        return djangoURLify(folded, numChars, allowUnicode);
    };
}
