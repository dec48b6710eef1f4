/** Page types a simulated site has. */
export const PAGE_TYPES = [
  'home',
  'search',
  'category',
  'product',
  'cart',
  'checkout',
  'confirmation',
  'account',
  'content',
  'error',
] as const;
export type PageType = (typeof PAGE_TYPES)[number];

export interface DemoGroup {
  /** The `<group>` prefix of its labels. */
  prefix: string;
  title: string;
  ownerTeam: string;
  /** Page types its labels appear on; empty means every page. */
  pageTypes: readonly PageType[];
  /** Name stems combined with attributes to form `<group>_<Stem><Attribute>`. */
  stems: readonly string[];
  /** Hand-named labels listed first (the ones people recognise). */
  wellKnown: readonly string[];
}

const g = (
  prefix: string,
  title: string,
  ownerTeam: string,
  pageTypes: readonly PageType[],
  stems: string[],
  wellKnown: string[] = [],
): DemoGroup => ({ prefix, title, ownerTeam, pageTypes, stems, wellKnown });

/** The 25 groups of the demo site, roughly in order of how much traffic they see. */
export const DEMO_GROUPS: readonly DemoGroup[] = [
  g(
    'page',
    'Page context',
    'web-platform',
    [],
    ['Page', 'Template', 'Referrer', 'Device', 'Viewport'],
    ['page_PageType', 'page_PageName', 'page_Url', 'page_Locale', 'page_Platform', 'page_Release'],
  ),
  g('cns', 'Consent', 'privacy', [], ['Consent', 'Banner', 'Purpose', 'Vendor'], ['cns_ConsentState']),
  g(
    'user',
    'Visitor',
    'identity',
    [],
    ['Login', 'Session', 'Customer', 'Segment', 'Visit'],
    ['user_LoginState', 'user_SessionId', 'user_CustomerId', 'user_Email', 'user_Phone'],
  ),
  g(
    'perf',
    'Performance',
    'web-platform',
    [],
    ['Load', 'Paint', 'Layout', 'Resource', 'Interaction'],
    ['perf_LoadTime'],
  ),
  g('nav', 'Navigation', 'web-platform', [], ['Menu', 'Breadcrumb', 'Footer', 'Header', 'Link'], []),
  g(
    'san',
    'Search analytics',
    'search',
    ['search'],
    ['Search', 'Result', 'Filter', 'Sort', 'Suggestion', 'Facet'],
    ['san_SearchTerm', 'san_ResultCount', 'san_SortOrder'],
  ),
  g(
    'prd',
    'Product',
    'catalog',
    ['product', 'category'],
    ['Product', 'Variant', 'Brand', 'Price', 'Stock'],
    ['prd_ProductId', 'prd_ProductName', 'prd_Price'],
  ),
  g(
    'cat',
    'Category',
    'catalog',
    ['category'],
    ['Category', 'Listing', 'Tile', 'Banner'],
    ['cat_CategoryPath'],
  ),
  g(
    'cart',
    'Cart',
    'checkout',
    ['cart', 'checkout', 'product'],
    ['Cart', 'Line', 'Voucher', 'Total'],
    ['cart_ItemCount', 'cart_Value'],
  ),
  g(
    'chk',
    'Checkout',
    'checkout',
    ['checkout'],
    ['Step', 'Payment', 'Delivery', 'Address', 'Error'],
    ['chk_Step'],
  ),
  g(
    'order',
    'Order',
    'checkout',
    ['confirmation'],
    ['Order', 'Basket', 'Tax', 'Shipping', 'Revenue'],
    ['order_OrderId', 'order_BasketItems', 'order_Revenue'],
  ),
  g(
    'pay',
    'Payment',
    'payments',
    ['checkout', 'confirmation'],
    ['Method', 'Card', 'Provider', 'Instalment'],
    ['pay_Method', 'pay_CardNumber', 'pay_Iban'],
  ),
  g(
    'cmp',
    'Campaigns',
    'marketing',
    [],
    ['Campaign', 'Medium', 'Channel', 'Creative', 'Keyword'],
    ['cmp_CampaignId'],
  ),
  g(
    'ab',
    'Experiments',
    'experimentation',
    [],
    ['Experiment', 'Variant', 'Bucket', 'Exposure'],
    ['ab_ExperimentId'],
  ),
  g('err', 'Errors', 'web-platform', ['error'], ['Error', 'Status', 'Message', 'Trace'], ['err_ErrorCode']),
  g('ret', 'Returns', 'logistics', ['account', 'content'], ['Return', 'Reason', 'Refund', 'Label'], []),
  g(
    'ads',
    'Advertising',
    'marketing',
    ['home', 'category', 'content'],
    ['Slot', 'Impression', 'Creative'],
    [],
  ),
  g(
    'rec',
    'Recommendations',
    'personalisation',
    ['home', 'product', 'cart'],
    ['Widget', 'Model', 'Item'],
    [],
  ),
  g('rev', 'Reviews', 'catalog', ['product'], ['Review', 'Rating', 'Helpful', 'Author'], []),
  g('wish', 'Wishlist', 'personalisation', ['product', 'account'], ['Wishlist', 'Entry', 'Share'], []),
  g('loy', 'Loyalty', 'crm', ['account', 'confirmation'], ['Points', 'Tier', 'Reward', 'Member'], []),
  g('store', 'Stores', 'retail', ['content', 'product'], ['Store', 'Finder', 'Pickup', 'Opening'], []),
  g(
    'ship',
    'Shipping',
    'logistics',
    ['checkout', 'confirmation'],
    ['Carrier', 'Slot', 'Parcel', 'Zone'],
    ['ship_ZipCode', 'ship_Street'],
  ),
  g('promo', 'Promotions', 'marketing', ['home', 'category', 'cart'], ['Promo', 'Coupon', 'Teaser'], []),
  g('nl', 'Newsletter', 'marketing', ['home', 'content', 'account'], ['Signup', 'Topic', 'Optin'], []),
];

/** Attributes appended to stems; each implies a value kind. */
export const ATTRIBUTES = [
  ['Id', 'string'],
  ['Name', 'string'],
  ['Count', 'number'],
  ['Type', 'enum'],
  ['Value', 'number'],
  ['List', 'list'],
  ['Position', 'number'],
  ['Source', 'enum'],
  ['Status', 'enum'],
  ['Flag', 'boolean'],
  ['Version', 'string'],
  ['Label', 'string'],
  ['Details', 'json'],
  ['Total', 'number'],
  ['Code', 'string'],
  ['Visible', 'boolean'],
] as const;
