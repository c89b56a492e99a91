// The words and weights seeded data is drawn from: the demo dataset and the bulk scales share them.

export const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Tim', 'Hedy', 'John', 'Katherine', 'Niklaus', 'Shafi', 'Guido', 'Sophie', 'Yukihiro'];
export const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Berners', 'Lamarr', 'Backus', 'Johnson', 'Wirth', 'Goldwasser', 'Rossum', 'Wilson', 'Matsumoto'];
export const TENANT_NAMES = ['Acme Mobile', 'Globex Labs', 'Initech QA', 'Umbrella Apps', 'Stark Devices', 'Wayne Testing'];

/** Package name, display name and category of the store's applications. */
export const APP_CATALOG: readonly (readonly [string, string, string])[] = [
  ['com.whatsapp', 'WhatsApp', 'COMMUNICATION'],
  ['org.telegram.messenger', 'Telegram', 'COMMUNICATION'],
  ['com.instagram.android', 'Instagram', 'SOCIAL'],
  ['com.zhiliaoapp.musically', 'TikTok', 'SOCIAL'],
  ['com.spotify.music', 'Spotify', 'MUSIC'],
  ['com.netflix.mediaclient', 'Netflix', 'ENTERTAINMENT'],
  ['com.google.android.youtube', 'YouTube', 'ENTERTAINMENT'],
  ['com.android.chrome', 'Chrome', 'TOOLS'],
  ['org.mozilla.firefox', 'Firefox', 'TOOLS'],
  ['com.microsoft.teams', 'Teams', 'BUSINESS'],
  ['com.slack', 'Slack', 'BUSINESS'],
  ['us.zoom.videomeetings', 'Zoom', 'BUSINESS'],
  ['com.ubercab', 'Uber', 'TRAVEL'],
  ['com.airbnb.android', 'Airbnb', 'TRAVEL'],
  ['com.booking', 'Booking.com', 'TRAVEL'],
  ['com.amazon.mShop.android.shopping', 'Amazon Shopping', 'SHOPPING'],
  ['com.ebay.mobile', 'eBay', 'SHOPPING'],
  ['com.alibaba.aliexpresshd', 'AliExpress', 'SHOPPING'],
  ['com.supercell.clashofclans', 'Clash of Clans', 'GAMES'],
  ['com.king.candycrushsaga', 'Candy Crush Saga', 'GAMES'],
  ['com.mojang.minecraftpe', 'Minecraft', 'GAMES'],
  ['com.roblox.client', 'Roblox', 'GAMES'],
  ['com.duolingo', 'Duolingo', 'EDUCATION'],
  ['org.khanacademy.android', 'Khan Academy', 'EDUCATION'],
  ['com.google.android.apps.maps', 'Maps', 'TRAVEL'],
  ['com.twitter.android', 'X', 'SOCIAL'],
  ['com.reddit.frontpage', 'Reddit', 'SOCIAL'],
  ['com.paypal.android.p2pmobile', 'PayPal', 'FINANCE'],
  ['com.revolut.revolut', 'Revolut', 'FINANCE'],
  ['com.shazam.android', 'Shazam', 'MUSIC'],
  ['com.evernote', 'Evernote', 'PRODUCTIVITY'],
  ['com.todoist', 'Todoist', 'PRODUCTIVITY'],
];

/** The device presets: what a phone of each template is given. */
export const TEMPLATE_PRESETS = [
  { name: 'Redroid 13 standard', provider: 'REDROID' as const, cpuCores: 2, memoryMb: 4096, storageGb: 32, androidVersion: '13', image: 'redroid/redroid:13.0.0-latest' },
  { name: 'Redroid 11 light', provider: 'REDROID' as const, cpuCores: 1, memoryMb: 2048, storageGb: 16, androidVersion: '11', image: 'redroid/redroid:11.0.0-latest' },
  { name: 'Huawei CPH performance', provider: 'HUAWEI_CPH' as const, cpuCores: 8, memoryMb: 16_384, storageGb: 128, androidVersion: '12', image: 'cph/android-12-perf' },
];

/** The plans on sale; the first is free (no order buys it). */
export const PLAN_PRESETS = [
  { name: 'Free', tier: 'FREE' as const, priceMinor: 0, cpuCores: 1, memoryMb: 2048, storageGb: 16, maxDevices: 1 },
  { name: 'Basic', tier: 'BASIC' as const, priceMinor: 999, cpuCores: 2, memoryMb: 4096, storageGb: 32, maxDevices: 3 },
  { name: 'Pro', tier: 'PRO' as const, priceMinor: 2999, cpuCores: 4, memoryMb: 8192, storageGb: 64, maxDevices: 10 },
  { name: 'Enterprise', tier: 'ENTERPRISE' as const, priceMinor: 19_900, cpuCores: 8, memoryMb: 16_384, storageGb: 128, maxDevices: 100 },
];

export type Weights<T> = readonly (readonly [T, number])[];

export const USER_STATUS_WEIGHTS: Weights<'ACTIVE' | 'INACTIVE' | 'SUSPENDED'> = [['ACTIVE', 92], ['INACTIVE', 4], ['SUSPENDED', 4]];
export type DeviceStatus = 'RUNNING' | 'STOPPED' | 'ERROR' | 'CREATING' | 'DELETED';
export const DEVICE_STATUS_WEIGHTS: Weights<DeviceStatus> = [['RUNNING', 60], ['STOPPED', 20], ['ERROR', 8], ['CREATING', 5], ['DELETED', 7]];
export type InstallStatus = 'INSTALLED' | 'FAILED' | 'PENDING';
export const INSTALL_STATUS_WEIGHTS: Weights<InstallStatus> = [['INSTALLED', 85], ['FAILED', 8], ['PENDING', 7]];
export type OrderStatus = 'PAID' | 'PENDING' | 'CANCELLED' | 'REFUNDED' | 'FAILED';
export const ORDER_STATUS_WEIGHTS: Weights<OrderStatus> = [['PAID', 70], ['PENDING', 8], ['CANCELLED', 10], ['REFUNDED', 5], ['FAILED', 7]];

/** The same weights without the states a row leaves within minutes (data with a long past holds none of them). */
export function settled<T>(weights: Weights<T>, transient: readonly NoInfer<T>[]): Weights<T> {
  return weights.filter(([value]) => !transient.includes(value));
}
