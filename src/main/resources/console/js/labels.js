// Chinese words for the API's codes (CONTRACT §3-§4, DOMAIN.md).
export const ALERT_TYPES = {
  ZERO_EMPLOYMENT: '零就业户',
  PLACEMENT_LAPSED: '岗位中断',
  NO_HELPER: '未落实帮扶责任人',
  TRAINING_PENDING: '培训需求未落实',
};
export const SEVERITIES = { critical: '严重', high: '高', warning: '一般' };
export const STATUSES = { open: '待处理', acknowledged: '已确认', resolved: '已解除' };
export const LABOR_CAPACITY = {
  SKILLED: '技能劳动力',
  ORDINARY: '普通劳动力',
  WEAK: '弱劳动力或半劳动力',
  LOST: '丧失劳动力',
  NONE: '无劳动力',
};
export const CHANNELS = {
  WORKSHOP: '就业扶贫车间',
  COMMUNITY_FACTORY: '社区工厂/卫星工厂',
  LOCAL_ENTERPRISE: '本地企业',
  AGRICULTURE: '家庭农场/合作社/龙头企业',
  ENTREPRENEURSHIP: '自主创业',
  HOME_BASED: '居家灵活就业/来料加工',
  PUBLIC_WELFARE_POST: '公益性岗位',
  LABOR_COOPERATION: '劳务协作转移就业',
  OTHER_MIGRANT: '其他外出务工',
  OTHER: '其他',
};
export const WORK_SCOPES = {
  IN_TOWNSHIP: '乡（镇）内',
  IN_COUNTY: '乡（镇）外县内',
  IN_PROVINCE: '县外省内',
  OUT_OF_PROVINCE: '省外',
  UNKNOWN: '未知',
};
export const PLACEMENT_STATUSES = {
  pending: '未开始',
  active: '在岗',
  ended: '已结束',
  expired: '已到期',
  unverified: '逾期未核验',
};
export const END_REASONS = {
  CONTRACT_ENDED: '合同到期',
  DISMISSED: '被辞退',
  QUIT: '主动离职',
  SEASONAL: '季节性结束',
  OTHER: '其他',
};
export const EVENT_TYPES = {
  'household.registered': '建档登记',
  'member.updated': '成员变更',
  'member.removed': '成员移出',
  'placement.started': '开始就业',
  'placement.verified': '在岗核验',
  'placement.ended': '就业结束',
  'training.enrolled': '参加培训',
  'training.completed': '完成培训',
  'helper.assigned': '落实帮扶责任人',
  'household.closed': '退出监测',
  'alert.raised': '产生预警',
  'alert.acknowledged': '确认预警',
  'alert.resolved': '解除预警',
  'summary.changed': '统计摘要更新',
  'deadline.scheduled': '下次检查时间',
};
export const WEBHOOK_DELIVERY = { pending: '待发送', delivered: '已送达', failed: '失败' };

export function label(map, code) {
  return (code && map[code]) || code || '';
}

export function yesNo(value) {
  return value ? '是' : '否';
}
